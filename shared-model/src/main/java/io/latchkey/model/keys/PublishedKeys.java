package io.latchkey.model.keys;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Key;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The public signing keys token-service publishes in Redis ({@link RedisKeys#publishedKeys()}), for
 * authorize-service to verify id_token_hint without a private key and without calling token-service.
 * Read keys are kept in memory and read again when older than {@code latchkey.keys.reload-interval}, or
 * at once when a token names a kid they lack (a key added during a rotation).
 */
@ApplicationScoped
public class PublishedKeys {

    private static final Logger LOG = Logger.getLogger(PublishedKeys.class);

    private record Read(VerificationKeys keys, long atNanos) {
    }

    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;
    private final long maxAgeNanos;
    private final AtomicReference<Read> last = new AtomicReference<>();

    public PublishedKeys(ReactiveRedisDataSource redis, RedisCalls calls, LatchkeyConfig config) {
        this.values = redis.value(String.class);
        this.calls = calls;
        this.maxAgeNanos = config.keys().reloadInterval().toNanos();
    }

    /** token-service: replaces the published set with the public parts of its keys. */
    public Uni<Void> publish(VerificationKeys keys) {
        return calls.guard("SET", values.set(RedisKeys.publishedKeys(), keys.json()));
    }

    /** The published key for a JWS with this kid and alg ({@link VerificationKeys#verifying}). */
    public Uni<Optional<Key>> verifying(String kid, String alg) {
        Read read = last.get();
        if (read != null && System.nanoTime() - read.atNanos() < maxAgeNanos && read.keys().has(kid)) {
            return Uni.createFrom().item(read.keys().verifying(kid, alg));
        }
        return read().map(keys -> keys.verifying(kid, alg));
    }

    /** Reads the published set from Redis; an absent or unusable set verifies nothing. */
    public Uni<VerificationKeys> read() {
        return calls.guard("GET", values.get(RedisKeys.publishedKeys())).map(json -> {
            VerificationKeys keys = VerificationKeys.none();
            if (json == null) {
                LOG.warnf("No signing keys are published in Redis (%s) yet: token-service publishes them when it starts",
                        RedisKeys.publishedKeys());
            } else {
                try {
                    keys = VerificationKeys.parse(json, "Redis key " + RedisKeys.publishedKeys());
                } catch (IllegalStateException e) {
                    // Never use a set with private parts: whoever wrote it is not token-service.
                    LOG.errorf("Ignoring the published signing keys: %s", e.getMessage());
                }
            }
            last.set(new Read(keys, System.nanoTime()));
            return keys;
        });
    }
}
