package io.latchkey.token.keys;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.store.SigningKeyStore;
import io.latchkey.token.metrics.TokenMetrics;
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
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * token-service's signing keys, the only private keys of the provider. From {@code latchkey.keys.file}
 * (a JWK set with private keys, mounted from a Secret) when set; otherwise one key per algorithm is
 * generated on first use and kept in Redis with SET NX ({@link RedisKeys#signingKeys()}), so every
 * replica signs and verifies with the same keys, and {@link SigningKeyRotation} rotates them on a schedule:
 * a development mode, since the private keys then live in Redis.
 *
 * <p>Every {@code latchkey.keys.reload-interval} a worker thread reads the key file again, or the set in Redis
 * is read again (parsed on a worker thread when it changed): Kubernetes updates a mounted Secret by swapping
 * a symlink, the rotation writes the Redis set, and either change is used without a restart, so replicas
 * started by the HPA during a rotation sign with the same keys as the others. A set that does not parse
 * leaves the keys as they were. The public parts are published to Redis at start-up, on every change and on
 * every tick (so a flushed Redis heals itself), for authorize-service (PublishedKeys). Requests never wait
 * for any of this: they use the keys last loaded.
 */
@ApplicationScoped
public class KeyRing {

    private static final Logger LOG = Logger.getLogger(KeyRing.class);
    /** What /jwks lets resource servers cache (JwksResource); a key published for less may surprise them. */
    private static final Duration JWKS_MAX_AGE = Duration.ofMinutes(5);

    private final LatchkeyConfig config;
    private final SigningKeyStore store;
    private final PublishedKeys published;
    private final SigningKeyRotation rotation;
    private final TokenMetrics metrics;
    private final AtomicReference<SigningKeys> loaded = new AtomicReference<>();
    /** The key file's or Redis set's content the current keys came from, or that last failed to parse. */
    private volatile String content;
    /** When this replica first loaded each kid, for the age of keys made without {@link SigningKeys#CREATED}. */
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();

    public KeyRing(LatchkeyConfig config, SigningKeyStore store, PublishedKeys published, SigningKeyRotation rotation,
            TokenMetrics metrics) {
        this.config = config;
        this.store = store;
        this.published = published;
        this.rotation = rotation;
        this.metrics = metrics;
    }

    /** After SigningProvider (so keys are ACCP's objects) and the Redis policy check; then every interval. */
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event, Vertx vertx) {
        if (config.keys().file().isPresent()) {
            Path file = config.keys().file().get();
            content = read(file);
            adopt(SigningKeys.parse(content, "latchkey.keys.file " + file));
        } else if (rotating()) {
            Duration ahead = config.keys().rotation().publishAhead();
            if (ahead.compareTo(JWKS_MAX_AGE.plus(config.keys().reloadInterval())) < 0) {
                LOG.warnf("latchkey.keys.rotation.publish-ahead (%s) is shorter than the time resource servers may cache "
                        + "/jwks (%s) plus the reload interval: one that does not fetch /jwks again on an unknown kid "
                        + "will refuse tokens of a new key for a while", ahead, JWKS_MAX_AGE);
            }
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
        return fromRedis();
    }

    /**
     * Reads the key file (on a worker thread) or the Redis set again, publishes the public keys, and in Redis
     * mode runs a due rotation step, whose result is used at once.
     */
    Uni<Void> refresh() {
        if (config.keys().file().isPresent()) {
            return Uni.createFrom().item(() -> reload(config.keys().file().get()))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .flatMap(keys -> published.publish(keys.verification()));
        }
        Uni<SigningKeys> current = fromRedis();
        if (rotating()) {
            current = current.flatMap(keys -> rotation.run(keys)
                    .flatMap(written -> written.isPresent() ? fromStored(written.get()) : Uni.createFrom().item(keys)));
        }
        return current.flatMap(keys -> published.publish(keys.verification()));
    }

    private boolean rotating() {
        return config.keys().file().isEmpty() && config.keys().rotation().enabled();
    }

    /**
     * The age in seconds of the key that signs {@code alg} now: from its {@link SigningKeys#CREATED}, or else from
     * when this replica first loaded it.
     */
    double signingKeyAgeSeconds(String alg) {
        SigningKeys keys = loaded.get();
        long now = System.currentTimeMillis();
        Optional<PublicJsonWebKey> key = keys == null ? Optional.empty() : keys.signing(alg, now);
        if (key.isEmpty()) {
            return Double.NaN;
        }
        var created = SigningKeys.created(key.get());
        long since = created.isPresent() ? created.getAsLong() * 1000 : firstSeen.getOrDefault(key.get().getKeyId(), now);
        return (now - since) / 1000.0;
    }

    private SigningKeys adopt(SigningKeys keys) {
        long now = System.currentTimeMillis();
        keys.all().forEach(k -> firstSeen.putIfAbsent(k.getKeyId(), now));
        SigningKeys before = loaded.getAndSet(keys);
        if (before == null || !before.verification().kids().equals(keys.verification().kids())) {
            keys.all().forEach(k -> metrics.signingKeyAge(k.getAlgorithm(), () -> signingKeyAgeSeconds(k.getAlgorithm())));
        }
        return keys;
    }

    private SigningKeys reload(Path file) {
        String read;
        try {
            read = read(file);
        } catch (IllegalStateException e) {
            LOG.errorf("Keeping the signing keys: %s", e.getMessage());
            return loaded.get();
        }
        if (read.equals(content)) {
            return loaded.get();
        }
        content = read;
        try {
            SigningKeys keys = adopt(SigningKeys.parse(read, "latchkey.keys.file " + file));
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

    /**
     * The set in Redis: the current keys when it has not changed, else parsed (on a worker thread). When Redis
     * has none, the keys this replica has are put back (a flushed Redis must not let the next replica generate
     * others), or on first use a new set is generated, and whichever set won SET NX is used.
     */
    private Uni<SigningKeys> fromRedis() {
        return store.get().flatMap(stored -> {
            if (stored != null) {
                return fromStored(stored);
            }
            SigningKeys current = loaded.get();
            // Key generation takes a worker thread's time (RSA), never an event loop's.
            Uni<String> candidate = current != null ? Uni.createFrom().item(current.json())
                    : Uni.createFrom().item(SigningKeys::generate).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
            return candidate.flatMap(json -> store.putIfAbsent(json).invoke(won -> {
                if (won && current == null) {
                    LOG.info("Generated signing keys (RS256, ES256, EdDSA) and stored them in Redis; "
                            + "set latchkey.keys.file in production");
                } else if (won) {
                    LOG.warnf("The signing keys were missing from Redis (%s); stored this replica's", RedisKeys.signingKeys());
                }
            })).flatMap(won -> store.get()).flatMap(this::fromStored);
        });
    }

    private Uni<SigningKeys> fromStored(String stored) {
        SigningKeys current = loaded.get();
        if (current != null && stored.equals(content)) {
            return Uni.createFrom().item(current);
        }
        return Uni.createFrom().item(() -> {
            try {
                SigningKeys keys = SigningKeys.parse(stored, "Redis key " + RedisKeys.signingKeys());
                content = stored;
                adopt(keys);
                if (current != null && !current.verification().kids().equals(keys.verification().kids())) {
                    LOG.infof("Signing keys reloaded from Redis: %s", keys.all().stream().map(JsonWebKey::getKeyId).toList());
                }
                return keys;
            } catch (IllegalStateException e) {
                if (current == null) {
                    throw e;
                }
                content = stored;
                LOG.errorf("Keeping the signing keys: %s", e.getMessage());
                return current;
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
