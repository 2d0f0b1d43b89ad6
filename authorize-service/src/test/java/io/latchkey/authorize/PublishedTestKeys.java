package io.latchkey.authorize;

import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.TestRedis;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * What token-service does for authorize-service: signing keys whose public parts are published in Redis.
 * The private parts stay in this test, to sign ID tokens as token-service would.
 */
final class PublishedTestKeys {

    static final SigningKeys KEYS = SigningKeys.parse(SigningKeys.generate(), "test");

    private PublishedTestKeys() {
    }

    /** Publishes the public keys, as a starting token-service does. */
    static void publish() {
        publish(KEYS);
    }

    static void publish(SigningKeys keys) {
        TestRedis.get().command("SET", RedisKeys.publishedKeys(), keys.publicJwks());
    }

    /** The key token-service signs this algorithm's tokens with; published first. */
    static PublicJsonWebKey signing(String alg) {
        publish();
        return KEYS.signing(alg).orElseThrow();
    }
}
