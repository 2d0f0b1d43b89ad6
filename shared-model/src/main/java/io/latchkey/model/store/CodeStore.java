package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.token.OpaqueToken;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Authorization codes: minted by the authorize leg, redeemed once by the token leg.
 */
@ApplicationScoped
public class CodeStore {

    private static final RedisScript REDEEM = RedisScript.load("redeem-code.lua");
    private static final RecordCodec<CodeGrant> CODEC = new RecordCodec<>(CodeGrant.class, CodeGrant.VERSION);

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;
    private final SubjectGrants subjects;
    private final LatchkeyConfig config;

    public CodeStore(ReactiveRedisDataSource redis, RedisCalls calls, SubjectGrants subjects, LatchkeyConfig config) {
        this.redis = redis;
        this.subjects = subjects;
        this.values = redis.value(String.class);
        this.calls = calls;
        this.config = config;
    }

    /** Stores the grant under a new 256-bit code and returns the code, the only time it exists in clear. */
    public Uni<OpaqueToken> issue(CodeGrant grant) {
        OpaqueToken code = OpaqueToken.newFamily();
        String key = RedisKeys.code(code.family(), code.hash());
        // Indexed under the user in the same moment, so that disabling the user can revoke the family.
        return Uni.combine().all()
                .unis(calls.guard("PSETEX", values.psetex(key, config.lifetimes().code().toMillis(), CODEC.write(grant))),
                        subjects.addFamily(grant.subject(), code.family()))
                .discardItems()
                .replaceWith(code);
    }

    /**
     * Whether the exchange should start a refresh family, its lifetimes, and the DPoP key it is bound to (RFC 9449 §5:
     * a public client's proof key; null for none).
     */
    public record RefreshPolicy(boolean issue, Duration idle, Duration max, String dpopJkt) {
        public static final RefreshPolicy NONE = new RefreshPolicy(false, Duration.ZERO, Duration.ZERO);

        public RefreshPolicy(boolean issue, Duration idle, Duration max) {
            this(issue, idle, max, null);
        }

        /** The same policy with the family bound to this key thumbprint. */
        public RefreshPolicy boundTo(String jkt) {
            return new RefreshPolicy(issue, idle, max, jkt);
        }
    }

    /**
     * What a redemption found. {@link Outcome#REDEEMED} carries the grant; {@link Outcome#REPLAYED} the grant of the
     * refresh family the first redemption started, if it started one (for the audit trail).
     */
    public record Redemption(Outcome outcome, CodeGrant grant, Optional<OpaqueToken> refreshToken, String mismatch) {
        public enum Outcome {
            REDEEMED,
            /** Never issued, malformed, or expired. */
            UNKNOWN,
            /** Already redeemed; the refresh family it started is now revoked. */
            REPLAYED,
            /**
             * client_id, redirect_uri or code_verifier did not match the grant, or the proof's key not its dpop_jkt; the
             * code is used up.
             */
            MISMATCH
        }

        static Redemption of(Outcome outcome) {
            return new Redemption(outcome, null, Optional.empty(), null);
        }
    }

    /**
     * Redeems a code in one round trip: the script reads and deletes it, leaves a replay tombstone,
     * checks the client, redirect URI and PKCE challenge, and, if asked to, stores the first refresh token
     * of a new family. Of any number of concurrent redemptions exactly one is {@code REDEEMED}.
     *
     * @param codeVerifier a syntactically valid verifier (see {@link Pkce#requireValidVerifier})
     */
    public Uni<Redemption> redeem(String presentedCode, String clientId, String redirectUri, String codeVerifier,
            RefreshPolicy refresh) {
        return redeem(presentedCode, clientId, redirectUri, codeVerifier, refresh, null);
    }

    /**
     * As above, for a request with a DPoP proof: a code bound to a key ({@link CodeGrant#dpopJkt()}, RFC 9449 §10) is
     * redeemed only with a proof of that key ({@code MISMATCH} of {@code dpop_jkt} otherwise).
     *
     * @param proofJkt the thumbprint of the request's verified DPoP proof key; null without a proof
     */
    public Uni<Redemption> redeem(String presentedCode, String clientId, String redirectUri, String codeVerifier,
            RefreshPolicy refresh, String proofJkt) {
        Optional<OpaqueToken> parsed = OpaqueToken.parse(presentedCode);
        if (parsed.isEmpty()) {
            return Uni.createFrom().item(Redemption.of(Redemption.Outcome.UNKNOWN));
        }
        OpaqueToken code = parsed.get();
        OpaqueToken refreshToken = OpaqueToken.inFamily(code.family());
        String codeKey = RedisKeys.code(code.family(), code.hash());
        Duration refreshTtl = refresh.idle().compareTo(refresh.max()) < 0 ? refresh.idle() : refresh.max();
        List<String> keys = List.of(codeKey, RedisKeys.codeTombstone(code.family(), code.hash()),
                RedisKeys.family(code.family()), RedisKeys.refreshToken(code.family(), refreshToken.hash()));
        List<String> args = List.of(clientId, nullToEmpty(redirectUri), Pkce.s256(codeVerifier),
                Long.toString(config.lifetimes().codeReplayWindow().toMillis()),
                refresh.issue() ? "1" : "0", Long.toString(refreshTtl.toMillis()), Long.toString(refresh.max().toMillis()),
                Long.toString(System.currentTimeMillis()), nullToEmpty(proofJkt), nullToEmpty(refresh.dpopJkt()));
        return calls.run(REDEEM, redis, keys, args)
                .map(reply -> interpret(codeKey, reply, refresh.issue() ? Optional.of(refreshToken) : Optional.empty()));
    }

    private static Redemption interpret(String codeKey, Response reply, Optional<OpaqueToken> refreshToken) {
        String status = reply.get(0).toString();
        return switch (status) {
            case "ok" -> new Redemption(Redemption.Outcome.REDEEMED, CODEC.read(codeKey, reply.get(1).toString()),
                    refreshToken, null);
            case "mismatch" -> new Redemption(Redemption.Outcome.MISMATCH, null, Optional.empty(), reply.get(1).toString());
            case "replay" -> new Redemption(Redemption.Outcome.REPLAYED, startedGrant(codeKey, reply), Optional.empty(), null);
            case "unknown" -> Redemption.of(Redemption.Outcome.UNKNOWN);
            default -> throw StoreException.corrupt(codeKey, new IllegalStateException("redemption script said " + status));
        };
    }

    /** Only informative: an unreadable grant must not keep a replay from being refused and revoked. */
    private static CodeGrant startedGrant(String codeKey, Response reply) {
        try {
            return reply.size() > 1 && reply.get(1) != null ? CODEC.read(codeKey, reply.get(1).toString()) : null;
        } catch (StoreException e) {
            return null;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
