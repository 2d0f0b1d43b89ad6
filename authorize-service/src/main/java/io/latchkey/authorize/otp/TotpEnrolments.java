package io.latchkey.authorize.otp;

import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * TOTP secrets shown for enrolment and not yet confirmed with a code, in Redis for ten minutes under
 * {@link RedisKeys#totpEnrolment} of the SHA-256 of what the enrolment is bound to (a session or a pending request;
 * the caller hashes it). Held encrypted for the user ({@link TotpSecrets}) like the stored secret, so Redis never
 * holds one in clear, and a value read back for another user does not decrypt.
 */
@ApplicationScoped
public class TotpEnrolments {

    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveRedisDataSource redis;
    private final RedisCalls calls;
    private final TotpSecrets secrets;

    public TotpEnrolments(ReactiveRedisDataSource redis, RedisCalls calls, TotpSecrets secrets) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.calls = calls;
        this.secrets = secrets;
    }

    /**
     * The secret pending for this owner and user, or a new one: a reloaded page shows the same QR code. Two
     * concurrent calls agree on one secret (the first SET NX wins and both read it back).
     */
    public Uni<byte[]> begin(String ownerHash, String userId) {
        String key = RedisKeys.totpEnrolment(ownerHash);
        return pending(ownerHash, userId).flatMap(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found.get());
            }
            String stored = secrets.encrypt(userId, Totp.newSecret());
            // A value left by another user of the same owner (one browser, two accounts) is replaced, not shown.
            return calls.guard("GET", values.get(key))
                    .flatMap(existing -> existing == null
                            ? calls.guard("SET", values.set(key, stored, new SetArgs().nx().ex(LIFETIME)))
                            : calls.guard("SET", values.set(key, stored, new SetArgs().ex(LIFETIME))))
                    .flatMap(x -> calls.guard("GET", values.get(key)))
                    .map(winner -> decrypt(userId, winner).orElseThrow(() -> new IllegalStateException(
                            "TOTP enrolment of user " + userId + " was replaced for another user meanwhile")));
        });
    }

    /** The secret pending for this owner and user, if any (none when it expired or was begun for another user). */
    public Uni<Optional<byte[]>> pending(String ownerHash, String userId) {
        return calls.guard("GET", values.get(RedisKeys.totpEnrolment(ownerHash))).map(stored -> decrypt(userId, stored));
    }

    /** Forgets the pending secret, once it is enrolled or the enrolment is abandoned. */
    public Uni<Void> finish(String ownerHash) {
        return calls.guard("DEL", redis.key(String.class).del(RedisKeys.totpEnrolment(ownerHash))).replaceWithVoid();
    }

    private Optional<byte[]> decrypt(String userId, String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(secrets.decrypt(userId, stored));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }
}
