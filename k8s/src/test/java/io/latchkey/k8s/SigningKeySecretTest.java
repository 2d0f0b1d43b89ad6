package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeySecretTest {

    @Test
    void generateMakesOnePrivateKeyPerAlgorithm() throws Exception {
        List<JsonWebKey> keys = keys(SigningKeySecret.run(List.of("generate"), () -> ""));
        assertThat(keys).extracting(JsonWebKey::getAlgorithm).containsExactly("RS256", "ES256", "EdDSA");
        assertThat(keys).allSatisfy(k -> {
            assertThat(((PublicJsonWebKey) k).getPrivateKey()).isNotNull();
            assertThat(k.getKeyId()).isNotBlank();
        });
    }

    @Test
    void rotatePutsNewSigningKeysAheadAndKeepsTheOldOnesPublished() throws Exception {
        String current = SigningKeySecret.run(List.of("generate"), () -> "");
        List<JsonWebKey> before = keys(current);
        List<JsonWebKey> after = keys(SigningKeySecret.run(List.of("rotate"), () -> current));
        assertThat(after).hasSize(6);
        // The first key of each algorithm signs: those are the new ones.
        assertThat(after.subList(0, 3)).extracting(JsonWebKey::getAlgorithm).containsExactly("RS256", "ES256", "EdDSA");
        assertThat(after.subList(0, 3)).extracting(JsonWebKey::getKeyId)
                .doesNotContainAnyElementsOf(before.stream().map(JsonWebKey::getKeyId).toList());
        assertThat(after.subList(3, 6)).extracting(JsonWebKey::getKeyId)
                .containsExactlyElementsOf(before.stream().map(JsonWebKey::getKeyId).toList());
    }

    @Test
    void stagePublishesNewKeysBehindTheSigningOnesAndPromoteMakesThemSign() throws Exception {
        String current = SigningKeySecret.run(List.of("generate"), () -> "");
        List<String> old = keys(current).stream().map(JsonWebKey::getKeyId).toList();
        String staged = SigningKeySecret.run(List.of("stage"), () -> current);
        assertThat(keys(staged).subList(0, 3)).extracting(JsonWebKey::getKeyId).containsExactlyElementsOf(old);
        List<String> added = keys(staged).subList(3, 6).stream().map(JsonWebKey::getKeyId).toList();
        assertThat(added).doesNotContainAnyElementsOf(old);

        List<JsonWebKey> promoted = keys(SigningKeySecret.run(List.of("promote"), () -> staged));
        assertThat(promoted.subList(0, 3)).extracting(JsonWebKey::getKeyId).containsExactlyElementsOf(added);
        assertThat(promoted.subList(0, 3)).extracting(JsonWebKey::getAlgorithm).containsExactly("RS256", "ES256", "EdDSA");
        assertThat(promoted.subList(3, 6)).extracting(JsonWebKey::getKeyId).containsExactlyElementsOf(old);
    }

    @Test
    void retireKeepsOnlyTheSigningKeyOfEachAlgorithm() throws Exception {
        String current = SigningKeySecret.run(List.of("generate"), () -> "");
        String rotated = SigningKeySecret.run(List.of("rotate"), () -> current);
        List<JsonWebKey> retired = keys(SigningKeySecret.run(List.of("retire"), () -> rotated));
        assertThat(retired).extracting(JsonWebKey::getKeyId)
                .containsExactlyElementsOf(keys(rotated).subList(0, 3).stream().map(JsonWebKey::getKeyId).toList());
    }

    @Test
    void secretIsAManifestForTheSecretTheProductionOverlayMounts() throws Exception {
        Secret secret = new KubernetesSerialization().unmarshal(
                SigningKeySecret.run(List.of("generate", "--secret"), () -> ""), Secret.class);
        assertThat(secret.getMetadata().getName()).isEqualTo("latchkey-signing-keys");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("latchkey");
        String jwks = new String(Base64.getDecoder().decode(secret.getData().get("jwks.json")), StandardCharsets.UTF_8);
        assertThat(keys(jwks)).hasSize(3);
    }

    @Test
    void rotateRefusesInputThatIsNotAJwkSet() {
        assertThatThrownBy(() -> SigningKeySecret.run(List.of("rotate"), () -> "{\"keys\":[]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no keys");
        assertThatThrownBy(() -> SigningKeySecret.run(List.of("rotate"), () -> "not json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JWK set");
    }

    @Test
    void outWritesANewFileOnlyItsOwnerCanReadAndNeverOverwrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.yaml");
        SigningKeySecret.write(file, "secret");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).isEqualTo("secret");
        assertThatThrownBy(() -> SigningKeySecret.write(file, "other")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(file)).isEqualTo("secret");
    }

    private static List<JsonWebKey> keys(String json) throws Exception {
        return new JsonWebKeySet(json.trim()).getJsonWebKeys();
    }
}
