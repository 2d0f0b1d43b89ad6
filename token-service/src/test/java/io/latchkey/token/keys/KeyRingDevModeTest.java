package io.latchkey.token.keys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.keys.VerificationKeys;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
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

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

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

    @Test
    void aSetAnotherReplicaWroteIsUsedWithinTheReloadIntervalAndASetRedisLostIsPutBackNotReplaced() throws Exception {
        keyRing.keys().await().atMost(Duration.ofSeconds(20));
        // Another replica's rotation step: the set in Redis changes under this one.
        String written = SigningKeys.generate();
        List<String> writtenKids = SigningKeys.parse(written, "t").verification().kids().stream().toList();
        TestRedis.get().command("SET", RedisKeys.signingKeys(), written);
        awaitJwks(writtenKids);
        assertThat(keyRing.keys().await().atMost(Duration.ofSeconds(5)).verification().kids()).containsExactlyElementsOf(writtenKids);

        // A flushed Redis: the replica puts its set back rather than letting the next replica generate another.
        TestRedis.get().command("DEL", RedisKeys.signingKeys());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (TestRedis.get().command("GET", RedisKeys.signingKeys()) == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(TestRedis.get().command("GET", RedisKeys.signingKeys())).isEqualTo(written);

        // The age of the key that signs: these keys were made a moment ago.
        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        double age = scrape.lines().filter(l -> l.startsWith("latchkey_signing_key_age_seconds{alg=\"RS256\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        assertThat(age).isBetween(0.0, 30.0);
    }

    private static void awaitJwks(List<String> kids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> served = List.of();
        while (System.nanoTime() < deadline) {
            served = given().get("/jwks").then().statusCode(200).extract().path("keys.kid");
            if (served.equals(kids)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(served).containsExactlyElementsOf(kids);
    }

    public static class NoKeyFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.keys.file", "", "latchkey.keys.reload-interval", "200ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestResource.class));
        }
    }
}
