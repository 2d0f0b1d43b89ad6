package io.latchkey.model.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class KeyRingTest {

    @Inject
    KeyRing keyRing;

    @Test
    void keysAreGeneratedOnceIntoRedisAndSharedByEveryReplica() throws Exception {
        SigningKeys keys = keyRing.keys().await().atMost(Duration.ofSeconds(20));

        assertThat(keys.signing("RS256")).isPresent();
        assertThat(keys.signing("ES256")).isPresent();
        assertThat(keys.signing("EdDSA")).isPresent();
        String stored = TestRedis.get().command("GET", RedisKeys.signingKeys());
        // A second replica reads the same set instead of generating its own.
        SigningKeys replica = KeyRing.parse(stored, "test");
        assertThat(replica.all()).extracting(JsonWebKey::getKeyId)
                .containsExactlyElementsOf(keys.all().stream().map(JsonWebKey::getKeyId).toList());
    }

    @Test
    void publishedSetHasNoPrivatePart() throws Exception {
        SigningKeys keys = keyRing.keys().await().atMost(Duration.ofSeconds(20));
        String published = keys.publicJwks();
        assertThat(published).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
        for (JsonWebKey key : new JsonWebKeySet(published).getJsonWebKeys()) {
            assertThat(((PublicJsonWebKey) key).getPrivateKey()).isNull();
            assertThat(key.getKeyId()).isNotBlank();
        }
    }

    @Test
    void firstKeyOfAnAlgorithmSignsAndOlderKeysStayPublished() throws Exception {
        var newer = new JsonWebKeySet(KeyRing.generate()).getJsonWebKeys();
        var older = new JsonWebKeySet(KeyRing.generate()).getJsonWebKeys();
        var both = new JsonWebKeySet(newer);
        older.forEach(both::addJsonWebKey);
        SigningKeys keys = KeyRing.parse(both.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), "test");

        assertThat(keys.signing("RS256").orElseThrow().getKeyId()).isEqualTo(newer.get(0).getKeyId());
        assertThat(keys.byKid(older.get(0).getKeyId())).isPresent();
        assertThat(keys.all()).hasSize(6);
    }

    @Test
    void keyFileErrorsNameTheFileAndTheProblem() throws IOException {
        Path file = Files.createTempFile("keys", ".json");
        Files.writeString(file, "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}");
        assertThatThrownBy(() -> KeyRing.fromFile(file)).hasMessageContaining(file.toString()).hasMessageContaining("private part");

        String publicOnly = KeyRing.parse(KeyRing.generate(), "test").publicJwks();
        Files.writeString(file, publicOnly);
        assertThatThrownBy(() -> KeyRing.fromFile(file)).hasMessageContaining("private part");

        Files.writeString(file, "not json");
        assertThatThrownBy(() -> KeyRing.fromFile(file)).hasMessageContaining("is not a JWK set");
    }
}
