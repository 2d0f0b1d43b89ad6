package io.latchkey.token.keys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.latchkey.token.verify.AccessTokenVerifier;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.Test;

/**
 * The key file is a mounted Secret, laid out as the kubelet does it: {@code jwks.json -> ..data/jwks.json},
 * {@code ..data -> ..<timestamp>}, and an update swaps the {@code ..data} symlink. token-service reads
 * it again every {@code latchkey.keys.reload-interval} (200 ms here) without a restart.
 */
@QuarkusTest
@TestProfile(KeyFileReloadTest.MountedSecret.class)
class KeyFileReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    static Path secretDir;

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    KeyRing keyRing;

    private static String clientCredentialsToken() {
        return given().contentType("application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("backend:backend-secret".getBytes()))
                .formParam("grant_type", "client_credentials").formParam("scope", "api:read")
                .post("/token").then().statusCode(200).extract().path("access_token");
    }

    private static String kid(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    private static List<String> publishedKids() {
        return given().get("/jwks").then().statusCode(200).extract().path("keys.kid");
    }

    /** What the kubelet does on a Secret update: a new timestamped directory, then one atomic symlink swap. */
    static void updateSecret(String jwks) throws IOException {
        Path version = Files.createDirectory(secretDir.resolve("..v" + System.nanoTime()));
        Files.writeString(version.resolve("jwks.json"), jwks);
        Path next = secretDir.resolve("..data_tmp");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, version.getFileName());
        Files.move(next, secretDir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void keyFileChangedThenNewKidPublishedAndSignsWithinTheIntervalAndOldKeyStillVerifies() throws Exception {
        String before = clientCredentialsToken();
        assertThat(kid(before)).isEqualTo("test-rs256-new");

        // Rotation step 2 (docs/token-leg.md): a new RS256 key ahead of the current ones, which stay listed.
        var current = new JsonWebKeySet(Files.readString(Path.of("src/test/resources/test-keys.json")));
        var rotatedIn = new JsonWebKeySet(SigningKeys.generate()).getJsonWebKeys().get(0);
        rotatedIn.setKeyId("rotated-rs256");
        var next = new JsonWebKeySet(rotatedIn);
        current.getJsonWebKeys().forEach(next::addJsonWebKey);
        long changed = System.nanoTime();
        updateSecret(next.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));

        long deadline = changed + WAIT.toNanos();
        while (!publishedKids().contains("rotated-rs256") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long tookMillis = Duration.ofNanos(System.nanoTime() - changed).toMillis();
        System.out.printf("The new key was published at /jwks %d ms after the Secret changed%n", tookMillis);
        assertThat(publishedKids()).containsExactly("rotated-rs256", "test-rs256-new", "test-es256", "test-eddsa", "test-rs256-old");

        String after = clientCredentialsToken();
        assertThat(kid(after)).isEqualTo("rotated-rs256");
        assertThat(verifier.verify(after).await().atMost(WAIT).token()).isPresent();
        assertThat(verifier.verify(before).await().atMost(WAIT).token()).as("signed by the old key, still listed").isPresent();

        // authorize-service's copy in Redis follows, public parts only.
        @SuppressWarnings("unchecked")
        var published = (List<Map<String, Object>>) JsonUtil.parseJson(TestRedis.get().command("GET", RedisKeys.publishedKeys())).get("keys");
        assertThat(published).extracting(k -> k.get("kid")).contains("rotated-rs256");
        assertThat(published).allSatisfy(k -> assertThat(k).doesNotContainKeys("d", "p", "q", "dp", "dq", "qi"));
    }

    @Test
    void keyFileThatDoesNotParseThenTheKeysStayAsTheyWere() throws Exception {
        List<String> kids = publishedKids();
        String good = Files.readString(secretDir.resolve("jwks.json"));
        try {
            for (String broken : new String[] {"{\"keys\": [ half a file", "{\"keys\":[]}", SigningKeys.parse(good, "t").publicJwks()}) {
                updateSecret(broken);
                keyRing.refresh().await().atMost(WAIT); // what the next tick does

                assertThat(publishedKids()).isEqualTo(kids);
                assertThat(kid(clientCredentialsToken())).isEqualTo(kids.get(0));
            }
        } finally {
            updateSecret(good);
        }
    }

    public static class MountedSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.keys.reload-interval", "200ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecretVolume.class));
        }
    }

    public static class SecretVolume implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                secretDir = Files.createTempDirectory("latchkey-secret");
                Path first = Files.createDirectory(secretDir.resolve("..v0"));
                Files.copy(Path.of("src/test/resources/test-keys.json"), first.resolve("jwks.json"));
                Files.createSymbolicLink(secretDir.resolve("..data"), first.getFileName());
                Files.createSymbolicLink(secretDir.resolve("jwks.json"), Path.of("..data", "jwks.json"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> config = new HashMap<>(new RedisTestResource().start());
            config.put("latchkey.keys.file", secretDir.resolve("jwks.json").toString());
            return config;
        }

        @Override
        public void stop() {
        }
    }
}
