package io.latchkey.model.keys;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The signing keys of the provider. From {@code latchkey.keys.file} (a JWK set with private keys,
 * mounted from a Secret) when set; otherwise one key per algorithm is generated on first use and kept in
 * Redis with SET NX, so every replica of every service signs and verifies with the same keys. Loaded once
 * per process and then served from memory.
 */
@ApplicationScoped
public class KeyRing {

    private static final Logger LOG = Logger.getLogger(KeyRing.class);

    private final LatchkeyConfig config;
    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;
    private final AtomicReference<SigningKeys> loaded = new AtomicReference<>();

    public KeyRing(LatchkeyConfig config, ReactiveRedisDataSource redis, RedisCalls calls) {
        this.config = config;
        this.values = redis.value(String.class);
        this.calls = calls;
    }

    public Uni<SigningKeys> keys() {
        SigningKeys keys = loaded.get();
        if (keys != null) {
            return Uni.createFrom().item(keys);
        }
        Uni<SigningKeys> load = config.keys().file().isPresent()
                ? Uni.createFrom().item(() -> fromFile(config.keys().file().get())).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                : fromRedis();
        return load.invoke(k -> loaded.compareAndSet(null, k)).map(k -> loaded.get());
    }

    private Uni<SigningKeys> fromRedis() {
        return calls.guard(values.get(RedisKeys.signingKeys())).flatMap(stored -> {
            if (stored != null) {
                return Uni.createFrom().item(parse(stored, "Redis key " + RedisKeys.signingKeys()));
            }
            // Key generation takes a worker thread's time (RSA), never an event loop's.
            return Uni.createFrom().item(KeyRing::generate).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .flatMap(generated -> calls.guard(values.setnx(RedisKeys.signingKeys(), generated)))
                    .flatMap(won -> {
                        if (won) {
                            LOG.info("Generated signing keys (RS256, ES256, EdDSA) and stored them in Redis; "
                                    + "set latchkey.keys.file in production");
                        }
                        return calls.guard(values.get(RedisKeys.signingKeys()));
                    })
                    .map(json -> parse(json, "Redis key " + RedisKeys.signingKeys()));
        });
    }

    static SigningKeys fromFile(Path file) {
        try {
            return parse(Files.readString(file), "latchkey.keys.file " + file);
        } catch (IOException e) {
            throw new IllegalStateException("latchkey.keys.file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every key needs a kid, an algorithm this provider signs with, and its private part. */
    static SigningKeys parse(String json, String source) {
        try {
            List<PublicJsonWebKey> keys = new ArrayList<>();
            for (JsonWebKey jwk : new JsonWebKeySet(json).getJsonWebKeys()) {
                if (!(jwk instanceof PublicJsonWebKey key) || key.getPrivateKey() == null) {
                    throw new IllegalStateException(source + ": key " + jwk.getKeyId() + " has no private part");
                }
                if (key.getKeyId() == null || key.getKeyId().isBlank()) {
                    throw new IllegalStateException(source + ": every key needs a \"kid\"");
                }
                if (!List.of("RS256", "ES256", "EdDSA").contains(key.getAlgorithm())) {
                    throw new IllegalStateException(source + ": key " + key.getKeyId()
                            + " needs \"alg\" RS256, ES256 or EdDSA, found " + key.getAlgorithm());
                }
                keys.add(key);
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException(source + ": the JWK set has no keys");
            }
            return new SigningKeys(keys);
        } catch (JoseException e) {
            throw new IllegalStateException(source + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    /** A JWK set with one new key per algorithm, private parts included. */
    public static String generate() {
        try {
            PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
            PublicJsonWebKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            PublicJsonWebKey ed = OkpJwkGenerator.generateJwk("Ed25519");
            label(rsa, "RS256");
            label(ec, "ES256");
            label(ed, "EdDSA");
            return new JsonWebKeySet(rsa, ec, ed).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        } catch (JoseException e) {
            throw new IllegalStateException("could not generate signing keys", e);
        }
    }

    private static void label(PublicJsonWebKey key, String alg) throws JoseException {
        key.setAlgorithm(alg);
        key.setUse("sig");
        key.setKeyId(key.calculateBase64urlEncodedThumbprint("SHA-256"));
    }
}
