package io.latchkey.authorize.passkeys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.store.StoreException;
import io.latchkey.model.token.OpaqueToken;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.Optional;

/**
 * WebAuthn challenges (WebAuthn §13.4.3): 32 random bytes made here, kept in Redis under their SHA-256 for
 * {@code latchkey.passkeys.challenge-lifetime}, and taken once with GETDEL, so a signed response is accepted at
 * most once. A challenge is bound to its purpose and to the pending request or session it was shown in: the
 * ceremony it serves cannot be finished with a response made for another.
 */
@ApplicationScoped
public class PasskeyChallenges {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which ceremony a challenge is for. */
    public enum Purpose {
        /** navigator.credentials.create (WebAuthn §7.1). */
        REGISTRATION,
        /** navigator.credentials.get (WebAuthn §7.2). */
        AUTHENTICATION
    }

    /**
     * An issued challenge.
     *
     * @param value   the challenge, base64url, as the browser gets it and signs it back in clientDataJSON
     * @param purpose the ceremony it is for
     * @param binding what it was shown in: the pending request id, or the hash of the session id
     * @param userId  the user the ceremony is for; null for a sign-in with a discoverable credential
     */
    public record Challenge(String value, Purpose purpose, String binding, String userId) {

        public Challenge {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(binding, "binding");
        }

        @Override
        public String toString() {
            // The value is a secret until used; keep it out of logs.
            return "Challenge[purpose=" + purpose + ", binding=" + binding + ", userId=" + userId + "]";
        }
    }

    private record Stored(Purpose purpose, String binding, String userId) {
    }

    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;
    private final PasskeyConfig config;

    public PasskeyChallenges(ReactiveRedisDataSource redis, RedisCalls calls, PasskeyConfig config) {
        this.values = redis.value(String.class);
        this.calls = calls;
        this.config = config;
    }

    /** A new challenge for this ceremony, stored until used or expired; returns its value (base64url of 32 bytes). */
    public Uni<String> issue(Purpose purpose, String binding, String userId) {
        String challenge = OpaqueToken.randomId(32);
        String stored = write(new Stored(purpose, binding, userId));
        return calls.guard("PSETEX", values.psetex(RedisKeys.webauthnChallenge(OpaqueToken.sha256(challenge)),
                config.challengeLifetime().toMillis(), stored))
                .replaceWith(challenge);
    }

    /**
     * The challenge with this value, removed in the same step (single use); empty when unknown, used or expired.
     * The caller checks its purpose and binding, or uses {@link #take(String, Purpose, String)}.
     */
    public Uni<Optional<Challenge>> take(String challenge) {
        if (challenge == null || challenge.isEmpty() || challenge.length() > 128) {
            return Uni.createFrom().item(Optional.empty());
        }
        return calls.guard("GETDEL", values.getdel(RedisKeys.webauthnChallenge(OpaqueToken.sha256(challenge))))
                .map(stored -> Optional.ofNullable(stored).map(s -> read(challenge, s)));
    }

    /**
     * The challenge with this value, taken (single use) and checked to be for this purpose and binding; fails with
     * {@link PasskeyException.Reason#BAD_CHALLENGE} otherwise. A challenge taken for a wrong purpose or binding is
     * gone all the same: whoever presents it elsewhere has it from somewhere they should not.
     */
    public Uni<Challenge> take(String challenge, Purpose purpose, String binding) {
        return take(challenge).map(found -> found
                .filter(c -> c.purpose() == purpose && c.binding().equals(binding))
                .orElseThrow(() -> new PasskeyException(PasskeyException.Reason.BAD_CHALLENGE,
                        "No " + purpose + " challenge of this value for this binding")));
    }

    private static String write(Stored stored) {
        try {
            return JSON.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Challenge read(String challenge, String stored) {
        try {
            Stored s = JSON.readValue(stored, Stored.class);
            return new Challenge(challenge, s.purpose(), s.binding(), s.userId());
        } catch (JsonProcessingException | RuntimeException e) {
            throw StoreException.corrupt("webauthn challenge", e);
        }
    }
}
