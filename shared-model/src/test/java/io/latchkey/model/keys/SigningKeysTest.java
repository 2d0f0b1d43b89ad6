package io.latchkey.model.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    private static final SigningKeys KEYS = SigningKeys.parse(SigningKeys.generate(), "test");

    @Test
    void publishedSetHasNoPrivatePart() throws Exception {
        String published = KEYS.publicJwks();
        assertThat(published).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"q\"");
        for (JsonWebKey key : new JsonWebKeySet(published).getJsonWebKeys()) {
            assertThat(((PublicJsonWebKey) key).getPrivateKey()).isNull();
            assertThat(key.getKeyId()).isNotBlank();
        }
    }

    @Test
    void firstKeyOfAnAlgorithmSignsAndOlderKeysStayPublished() throws Exception {
        var newer = new JsonWebKeySet(SigningKeys.generate()).getJsonWebKeys();
        var older = new JsonWebKeySet(SigningKeys.generate()).getJsonWebKeys();
        var both = new JsonWebKeySet(newer);
        older.forEach(both::addJsonWebKey);
        SigningKeys keys = SigningKeys.parse(both.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE), "test");

        assertThat(keys.signing("RS256").orElseThrow().getKeyId()).isEqualTo(newer.get(0).getKeyId());
        assertThat(keys.verification().has(older.get(0).getKeyId())).isTrue();
        assertThat(keys.all()).hasSize(6);
        assertThat(keys.verification().kids()).hasSize(6);
    }

    @Test
    void keySetErrorsNameTheSourceAndTheProblem() {
        assertThatThrownBy(() -> SigningKeys.parse("{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}", "latchkey.keys.file /k.json"))
                .hasMessageContaining("/k.json").hasMessageContaining("private part");
        assertThatThrownBy(() -> SigningKeys.parse(KEYS.publicJwks(), "test")).hasMessageContaining("private part");
        assertThatThrownBy(() -> SigningKeys.parse("not json", "test")).hasMessageContaining("is not a JWK set");
    }

    @Test
    void aKeyVerifiesOnlyWithItsOwnAlgorithm() {
        PublicJsonWebKey rsa = KEYS.signing("RS256").orElseThrow();
        VerificationKeys keys = KEYS.verification();

        assertThat(keys.verifying(rsa.getKeyId(), "RS256")).contains(keys.verifying(rsa.getKeyId(), "RS256").orElseThrow());
        for (String other : new String[] {"PS256", "RS512", "HS256", "none", "ES256", null}) {
            assertThat(keys.verifying(rsa.getKeyId(), other)).as(other).isEmpty();
        }
        assertThat(keys.verifying("unknown", "RS256")).isEmpty();
        assertThat(keys.verifying(null, "RS256")).isEmpty();
    }

    @Test
    void aVerificationSetWithAPrivatePartIsRefused() throws Exception {
        String withPrivate = new JsonWebKeySet(KEYS.all().stream().map(k -> (JsonWebKey) k).toList())
                .toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);

        assertThatThrownBy(() -> VerificationKeys.parse(withPrivate, "Redis key lk:jwks"))
                .hasMessageContaining("lk:jwks").hasMessageContaining("is not a public key only");
        assertThat(VerificationKeys.parse(KEYS.publicJwks(), "test").kids()).containsExactlyElementsOf(
                KEYS.all().stream().map(JsonWebKey::getKeyId).toList());
    }
}
