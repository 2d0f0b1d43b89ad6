package io.latchkey.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.authorize.logout.IdTokenHints;
import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * authorize-service verifies id_token_hint with the public keys token-service publishes in Redis and holds
 * no private key: no key file, no code that reads one, and a published set with private parts is refused.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class IdTokenHintKeysTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    IdTokenHints hints;

    private static String idToken(PublicJsonWebKey key) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(AuthorizeValidationTest.ISSUER);
        claims.setAudience("spa");
        claims.setSubject("alice-sub");
        claims.setClaim("sid", "session-1");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        return jws.getCompactSerialization();
    }

    private IdTokenHints.Hint verify(String token) {
        return hints.verify(token).await().atMost(WAIT);
    }

    private void assertRefused(String token) {
        assertThatThrownBy(() -> verify(token)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST));
    }

    @Test
    void hintsAreVerifiedWithThePublishedPublicKeysAndNoPrivateKeyReachesAuthorizeService() throws Exception {
        TestRedis.get().command("DEL", RedisKeys.signingKeys());
        PublishedTestKeys.publish();

        for (String alg : new String[] {"RS256", "ES256", "EdDSA"}) {
            assertThat(verify(idToken(PublishedTestKeys.KEYS.signing(alg).orElseThrow())).sessionId()).as(alg).isEqualTo("session-1");
        }

        // No key file is configured, the key ring that reads one is not even on the class path...
        assertThat(ConfigProvider.getConfig().getOptionalValue("latchkey.keys.file", String.class)).isEmpty();
        assertThatThrownBy(() -> Class.forName("io.latchkey.token.keys.KeyRing")).isInstanceOf(ClassNotFoundException.class);
        // ...the only key set it reads has no private member, and it made no private keys of its own.
        @SuppressWarnings("unchecked")
        var published = (java.util.List<Map<String, Object>>) JsonUtil.parseJson(
                TestRedis.get().command("GET", RedisKeys.publishedKeys())).get("keys");
        assertThat(published).hasSize(3).allSatisfy(key -> assertThat(key).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi"));
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.signingKeys())).isEqualTo("0");
    }

    @Test
    void hintSignedByAKeyPublishedAfterTheLastReadIsVerifiedAtOnce() throws Exception {
        PublishedTestKeys.publish();
        verify(idToken(PublishedTestKeys.KEYS.signing("ES256").orElseThrow()));
        // A rotation: token-service publishes a new key ahead of the old ones and signs with it.
        SigningKeys rotated = rotated(PublishedTestKeys.KEYS);
        PublishedTestKeys.publish(rotated);

        assertThat(verify(idToken(rotated.signing("ES256").orElseThrow())).subject()).isEqualTo("alice-sub");
        assertThat(verify(idToken(PublishedTestKeys.KEYS.signing("ES256").orElseThrow())).subject()).isEqualTo("alice-sub");
    }

    @Test
    void aKeyRemovedFromThePublishedSetStopsVerifyingWithinTheReloadInterval() throws Exception {
        // latchkey.keys.reload-interval is 1s in these tests.
        SigningKeys removed = SigningKeys.parse(SigningKeys.generate(), "test");
        PublishedTestKeys.publish(removed);
        String hint = idToken(removed.signing("RS256").orElseThrow());
        verify(hint);

        PublishedTestKeys.publish();
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean refused = false;
        while (!refused && System.nanoTime() < deadline) {
            try {
                verify(hint);
                Thread.sleep(50);
            } catch (OAuthException e) {
                refused = true;
            }
        }
        assertThat(refused).as("refused within %s", WAIT).isTrue();
        assertRefused(hint);
    }

    @Test
    void aPublishedSetWithPrivatePartsIsNeverUsed() throws Exception {
        SigningKeys planted = SigningKeys.parse(SigningKeys.generate(), "test");
        String withPrivateParts = new JsonWebKeySet(planted.all().stream().map(k -> (JsonWebKey) k).toList())
                .toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        TestRedis.get().command("SET", RedisKeys.publishedKeys(), withPrivateParts);

        assertRefused(idToken(planted.signing("RS256").orElseThrow()));
        PublishedTestKeys.publish();
    }

    /** New keys ahead of {@code current}, which stay published. */
    static SigningKeys rotated(SigningKeys current) throws Exception {
        var set = new JsonWebKeySet(SigningKeys.generate());
        current.all().forEach(set::addJsonWebKey);
        return SigningKeys.parse(set.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), "rotated");
    }
}
