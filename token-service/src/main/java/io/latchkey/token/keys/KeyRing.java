package io.latchkey.token.keys;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;

/**
 * token-service's signing keys, the only private keys of the provider. From {@code latchkey.keys.file}
 * (a JWK set with private keys, mounted from a Secret) when set; otherwise one key per algorithm is
 * generated on first use and kept in Redis with SET NX ({@link RedisKeys#signingKeys()}), so every
 * replica signs and verifies with the same keys: a development mode, since the private keys then live
 * in Redis.
 *
 * <p>Every {@code latchkey.keys.reload-interval} a worker thread reads the key file again: Kubernetes
 * updates a mounted Secret by swapping a symlink, and a changed file is used without a restart, so
 * replicas started by the HPA during a rotation sign with the same keys as the others. A file that does
 * not parse leaves the keys as they were. The public parts are published to Redis at start-up, on every
 * change and on every tick (so a flushed Redis heals itself), for authorize-service (PublishedKeys).
 */
@ApplicationScoped
public class KeyRing {

    private static final Logger LOG = Logger.getLogger(KeyRing.class);

    private final LatchkeyConfig config;
    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;
    private final PublishedKeys published;
    private final AtomicReference<SigningKeys> loaded = new AtomicReference<>();
    /** The key file's content the current keys came from, or that last failed to parse. */
    private volatile String fileContent;

    public KeyRing(LatchkeyConfig config, ReactiveRedisDataSource redis, RedisCalls calls, PublishedKeys published) {
        this.config = config;
        this.values = redis.value(String.class);
        this.calls = calls;
        this.published = published;
    }

    /** After SigningProvider (so keys are ACCP's objects) and the Redis policy check; then every interval. */
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event, Vertx vertx) {
        if (config.keys().file().isPresent()) {
            Path file = config.keys().file().get();
            fileContent = read(file);
            loaded.set(SigningKeys.parse(fileContent, "latchkey.keys.file " + file));
        }
        try {
            refresh().await().atMost(config.redis().timeout().multipliedBy(3));
        } catch (RuntimeException e) {
            LOG.warnf("Could not publish the public signing keys to Redis yet (%s); retrying every %s", e.getMessage(),
                    config.keys().reloadInterval());
        }
        vertx.setPeriodic(config.keys().reloadInterval().toMillis(), id -> refresh().subscribe().with(
                x -> { }, e -> LOG.debugf("Signing key refresh failed: %s", e.getMessage())));
    }

    public Uni<SigningKeys> keys() {
        SigningKeys keys = loaded.get();
        if (keys != null) {
            return Uni.createFrom().item(keys);
        }
        return fromRedis().invoke(k -> loaded.compareAndSet(null, k)).map(k -> loaded.get());
    }

    /** Reads the key file again if there is one (on a worker thread), then publishes the public keys. */
    Uni<Void> refresh() {
        Uni<SigningKeys> current = config.keys().file().isPresent()
                ? Uni.createFrom().item(() -> reload(config.keys().file().get())).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                : keys();
        return current.flatMap(keys -> published.publish(keys.verification()));
    }

    private SigningKeys reload(Path file) {
        String content;
        try {
            content = read(file);
        } catch (IllegalStateException e) {
            LOG.errorf("Keeping the signing keys: %s", e.getMessage());
            return loaded.get();
        }
        if (content.equals(fileContent)) {
            return loaded.get();
        }
        fileContent = content;
        try {
            SigningKeys keys = SigningKeys.parse(content, "latchkey.keys.file " + file);
            loaded.set(keys);
            LOG.infof("Signing keys reloaded from %s: %s", file, keys.all().stream().map(JsonWebKey::getKeyId).toList());
            return keys;
        } catch (IllegalStateException e) {
            LOG.errorf("Keeping the signing keys: %s", e.getMessage());
            return loaded.get();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("latchkey.keys.file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private Uni<SigningKeys> fromRedis() {
        return calls.guard("GET", values.get(RedisKeys.signingKeys())).flatMap(stored -> {
            if (stored != null) {
                return Uni.createFrom().item(SigningKeys.parse(stored, "Redis key " + RedisKeys.signingKeys()));
            }
            // Key generation takes a worker thread's time (RSA), never an event loop's.
            return Uni.createFrom().item(SigningKeys::generate).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .flatMap(generated -> calls.guard("SETNX", values.setnx(RedisKeys.signingKeys(), generated)))
                    .flatMap(won -> {
                        if (won) {
                            LOG.info("Generated signing keys (RS256, ES256, EdDSA) and stored them in Redis; "
                                    + "set latchkey.keys.file in production");
                        }
                        return calls.guard("GET", values.get(RedisKeys.signingKeys()));
                    })
                    .map(json -> SigningKeys.parse(json, "Redis key " + RedisKeys.signingKeys()));
        });
    }
}
