package io.latchkey.model.store;

import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.RefreshGrant;
import io.latchkey.model.token.OpaqueToken;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Refresh tokens, rotated on every use (RFC 9700 §4.14.2). A family is every token descended from one
 * code; the family's key holds the code grant and a revoked flag, each token's key its state. A family bound to a
 * DPoP key (its {@code jkt} field, RFC 9449 §5) is refreshed only with a proof of that key and is not rotated. For a
 * client with a reuse grace, a rotated token also leaves its successor sealed for its holder ({@link SuccessorSeal})
 * for that long.
 */
@ApplicationScoped
public class RefreshTokenStore {

    private static final RedisScript ROTATE = RedisScript.load("rotate-refresh-token.lua");
    private static final RedisScript READ = RedisScript.load("read-refresh-token.lua");
    private static final RedisScript REVOKE = RedisScript.load("revoke-family.lua");
    private static final RedisScript READ_FAMILY = RedisScript.load("read-family.lua");
    private static final RecordCodec<CodeGrant> CODEC = new RecordCodec<>(CodeGrant.class, CodeGrant.VERSION);

    private final ReactiveRedisDataSource redis;
    private final RedisCalls calls;

    public RefreshTokenStore(ReactiveRedisDataSource redis, RedisCalls calls) {
        this.redis = redis;
        this.calls = calls;
    }

    /**
     * What a rotation found. {@link Outcome#ROTATED} carries the grant and a new token, {@link Outcome#KEPT} the grant
     * and the presented token, {@link Outcome#REPEATED_IN_GRACE} the grant and the successor it had already had;
     * {@link Outcome#REUSED} the grant of the family it revoked, for the audit trail.
     */
    public record Rotation(Outcome outcome, RefreshGrant grant, OpaqueToken newToken) {
        public enum Outcome {
            ROTATED,
            /** The family is bound to the proof's DPoP key: the presented token stays current, its idle lifetime slid. */
            KEPT,
            /** The family is bound to a DPoP key and the request had no proof of it; nothing changed. */
            WRONG_KEY,
            /** Never issued, malformed, expired, or its family ended. */
            UNKNOWN,
            /** The family was revoked (logout, revocation, or an earlier reuse). */
            REVOKED,
            /** A rotated token came back: the family is now revoked. */
            REUSED,
            /**
             * A rotated token came back from its client within the client's reuse grace while its successor is still
             * current: the same successor again (another tab's race, or a lost answer); nothing changed.
             */
            REPEATED_IN_GRACE,
            /** Presented by a client other than the one it was issued to; nothing changed. */
            WRONG_CLIENT
        }

        static Rotation of(Outcome outcome) {
            return new Rotation(outcome, null, null);
        }
    }

    /** Exchanges a current refresh token for a new one of the same family, atomically; no reuse grace. */
    public Uni<Rotation> rotate(String presented, String clientId, Duration idle) {
        return rotate(presented, clientId, idle, null, Duration.ZERO);
    }

    /**
     * Exchanges a current refresh token atomically. A bound family needs the proof's key to be its own
     * ({@code WRONG_KEY} otherwise) and is {@code KEPT}, not rotated; an unbound one is rotated, and bound to the key
     * when there is one. With a {@code grace} above zero the presented token, rotated, may come back from this client
     * for as long and get the same successor (several tabs refreshing at once).
     *
     * @param dpopJkt the thumbprint of a public client's verified proof key; null for no proof, and for a
     *                confidential client (its refresh tokens are bound by its authentication, RFC 9449 §5)
     */
    public Uni<Rotation> rotate(String presented, String clientId, Duration idle, String dpopJkt, Duration grace) {
        Optional<OpaqueToken> parsed = OpaqueToken.parse(presented);
        if (parsed.isEmpty()) {
            return Uni.createFrom().item(Rotation.of(Rotation.Outcome.UNKNOWN));
        }
        OpaqueToken old = parsed.get();
        OpaqueToken next = OpaqueToken.inFamily(old.family());
        String familyKey = RedisKeys.family(old.family());
        String graceKey = RedisKeys.refreshTokenGrace(old.family(), old.hash());
        List<String> keys = List.of(familyKey, RedisKeys.refreshToken(old.family(), old.hash()),
                RedisKeys.refreshToken(old.family(), next.hash()), graceKey);
        long graceMillis = Math.max(0, grace.toMillis());
        // Without a grace nothing is sealed and nothing more is stored than without one.
        List<String> args = List.of(clientId, Long.toString(idle.toMillis()), dpopJkt == null ? "" : dpopJkt,
                Long.toString(graceMillis), graceMillis > 0 ? SuccessorSeal.seal(old, next) : "");
        return calls.run(ROTATE, redis, keys, args).map(reply -> {
            String status = reply.get(0).toString();
            return switch (status) {
                case "ok" -> new Rotation(Rotation.Outcome.ROTATED, boundGrant(old.family(), familyKey, reply), next);
                case "kept" -> new Rotation(Rotation.Outcome.KEPT, boundGrant(old.family(), familyKey, reply), old);
                case "key" -> Rotation.of(Rotation.Outcome.WRONG_KEY);
                case "unknown" -> Rotation.of(Rotation.Outcome.UNKNOWN);
                case "revoked" -> Rotation.of(Rotation.Outcome.REVOKED);
                case "reuse" -> new Rotation(Rotation.Outcome.REUSED, revokedGrant(old.family(), familyKey, reply), null);
                case "client" -> Rotation.of(Rotation.Outcome.WRONG_CLIENT);
                case "grace" -> new Rotation(Rotation.Outcome.REPEATED_IN_GRACE, grant(old.family(), familyKey, reply),
                        SuccessorSeal.open(old, reply.get(3).toString()).orElseThrow(() -> StoreException.corrupt(graceKey,
                                new IllegalStateException("a reuse grace that the presented token does not open"))));
                default -> throw StoreException.corrupt(familyKey, new IllegalStateException("rotation script said " + status));
            };
        });
    }

    /** The grant of a current, live refresh token, without changing anything (introspection, revocation). */
    public Uni<Optional<RefreshGrant>> find(String presented) {
        Optional<OpaqueToken> parsed = OpaqueToken.parse(presented);
        if (parsed.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        OpaqueToken token = parsed.get();
        String familyKey = RedisKeys.family(token.family());
        return calls.run(READ, redis, List.of(familyKey, RedisKeys.refreshToken(token.family(), token.hash())), List.of())
                .map(reply -> "ok".equals(reply.get(0).toString())
                        ? Optional.of(boundGrant(token.family(), familyKey, reply))
                        : Optional.empty());
    }

    /** A live family as a report shows it: its grant and when its absolute lifetime ends. */
    public record LiveFamily(RefreshGrant grant, long expiresAtMillis) {
    }

    /** The family with this id if it is live (started and not revoked), read without changing anything. */
    public Uni<Optional<LiveFamily>> family(String family) {
        String familyKey = RedisKeys.family(family);
        return calls.run(READ_FAMILY, redis, List.of(familyKey), List.of()).map(reply -> {
            if (reply == null) {
                return Optional.<LiveFamily>empty();
            }
            long left = reply.get(3).toLong();
            return Optional.of(new LiveFamily(grant(family, familyKey, reply), System.currentTimeMillis() + Math.max(0, left)));
        });
    }

    /** Ends the family of a refresh token or code: every token of it stops working. */
    public Uni<Boolean> revokeFamily(String family) {
        return calls.run(REVOKE, redis, List.of(RedisKeys.family(family)), List.of())
                .map(reply -> reply.toInteger() == 1);
    }

    /** Only informative: an unreadable grant must not turn a detected reuse into a server error. */
    private static RefreshGrant revokedGrant(String family, String familyKey, Response reply) {
        try {
            return reply.size() > 2 ? grant(family, familyKey, reply) : null;
        } catch (StoreException e) {
            return null;
        }
    }

    /** The grant of a reply that names the family's DPoP key fourth ('' when unbound): the read and rotate scripts'. */
    private static RefreshGrant boundGrant(String family, String familyKey, Response reply) {
        RefreshGrant grant = grant(family, familyKey, reply);
        String jkt = reply.size() > 3 && reply.get(3) != null ? reply.get(3).toString() : "";
        return jkt.isEmpty() ? grant : new RefreshGrant(family, grant.origin(), grant.createdAtMillis(), jkt);
    }

    private static RefreshGrant grant(String family, String familyKey, Response reply) {
        CodeGrant origin = CODEC.read(familyKey, reply.get(1).toString());
        long created;
        try {
            created = Long.parseLong(reply.get(2).toString());
        } catch (RuntimeException e) {
            throw StoreException.corrupt(familyKey, e);
        }
        return new RefreshGrant(family, origin, created, null);
    }
}
