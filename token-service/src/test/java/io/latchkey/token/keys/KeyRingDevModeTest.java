package io.latchkey.token.keys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.keys.VerificationKeys;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.junit.jupiter.api.Test;

/** Without a key file (development): keys generated once into Redis, their public parts published. */
@QuarkusTest
@TestProfile(KeyRingDevModeTest.NoKeyFile.class)
class KeyRingDevModeTest {

    @Inject
    KeyRing keyRing;

    @Test
    void keysAreGeneratedOnceIntoRedisSharedByEveryReplicaAndOnlyTheirPublicPartsPublished() {
        SigningKeys keys = keyRing.keys().await().atMost(Duration.ofSeconds(20));

        assertThat(keys.signing("RS256")).isPresent();
        assertThat(keys.signing("ES256")).isPresent();
        assertThat(keys.signing("EdDSA")).isPresent();
        // A second replica reads the same set instead of generating its own.
        SigningKeys replica = SigningKeys.parse(TestRedis.get().command("GET", RedisKeys.signingKeys()), "test");
        assertThat(replica.all()).extracting(JsonWebKey::getKeyId)
                .containsExactlyElementsOf(keys.all().stream().map(JsonWebKey::getKeyId).toList());
        // What authorize-service reads has the same keys and parses as public only.
        keyRing.refresh().await().atMost(Duration.ofSeconds(10));
        VerificationKeys published = VerificationKeys.parse(TestRedis.get().command("GET", RedisKeys.publishedKeys()), "test");
        assertThat(published.kids()).containsExactlyElementsOf(keys.verification().kids());
        List<String> served = given().get("/jwks").then().statusCode(200).extract().path("keys.kid");
        assertThat(served).containsExactlyElementsOf(keys.verification().kids());
    }

    public static class NoKeyFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.keys.file", "");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestResource.class));
        }
    }
}
