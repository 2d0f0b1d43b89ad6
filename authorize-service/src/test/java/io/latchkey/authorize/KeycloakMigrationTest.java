package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.redirectBase;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.realm.RealmImporter;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users of a realm exported by a real Keycloak 26.5.6 (shared-model's test resource keycloak/, with its README)
 * sign in with the passwords they had there, whatever Keycloak hashed them with, and that first sign-in
 * replaces the hash with Latchkey's Argon2id.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class KeycloakMigrationTest {

    private static final String SPA_CALLBACK = "http://localhost:5173/callback";

    @Inject
    RealmImporter importer;

    @BeforeEach
    void importTheExport() throws IOException {
        Path file = Files.createTempFile("acme-realm-export", ".json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("keycloak/acme-realm-export.json")) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        importer.importFile(file);
    }

    private static Map<String, String> acmeSpa() {
        return with(with(validRequest(), "client_id", "acme-spa"), "redirect_uri", SPA_CALLBACK);
    }

    private static String storedHash(String canonicalUsername) {
        return TestPostgres.get().queryOne("SELECT c.secret FROM credentials c JOIN users u ON u.id = c.user_id"
                + " WHERE c.type = 'password' AND u.username_canonical = '" + canonicalUsername + "'");
    }

    private static Response signIn(String username, String password) {
        TestBrowser browser = new TestBrowser();
        return browser.login(browser.authorize(acmeSpa()), username, password);
    }

    @Test
    void loginWhenKeycloakUserGivesTheOldPasswordThenSignedInAndTheHashBecomesArgon2id() {
        Map<String, String> users = Map.of(
                "pat.morgan", "pat-Sunrise-2024!", // pbkdf2-sha256
                "sam.okafor", "Okafor#Blue#Lagoon", // pbkdf2-sha512
                "ari.lindqvist", "ari-argon2-Pässwörd", // Keycloak's argon2id
                "lee.chen", "Lee-Chen-argon2i",
                "mo.haddad", "Mo-Haddad-argon2d");
        users.forEach((username, password) -> {
            String before = storedHash(username);
            assertThat(before).as(username).doesNotStartWith("$argon2id$v=19$m=19456,t=2,p=1$");

            Response signedIn = signIn(username, password);
            // acme-spa had no consent screen in Keycloak: first party here, straight back with a code.
            assertThat(signedIn.statusCode()).as(username).isEqualTo(303);
            assertThat(redirectBase(signedIn)).isEqualTo(SPA_CALLBACK);
            assertThat(redirectParams(signedIn)).containsKey("code");

            assertThat(storedHash(username)).as(username + " rehashed at the first sign-in")
                    .startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            assertThat(signIn(username, password).statusCode()).as(username + " with the new hash").isEqualTo(303);
        });
    }

    @Test
    void loginWhenKeycloakUserGivesAWrongPasswordOrIsDisabledThenRefusedAndTheHashIsKept() {
        String before = storedHash("zoë.brandt");
        assertThat(signIn("zoë.brandt", "Zoë-Ünïcode-41").statusCode()).isEqualTo(401);
        assertThat(storedHash("zoë.brandt")).isEqualTo(before);
        assertThat(signIn("dana.kowalski", "dana-Disabled-9").statusCode()).isEqualTo(401);
        // Keycloak lower-cased the name; RFC 8265 case mapping finds the account under either spelling.
        assertThat(signIn("Zoë.Brandt", "Zoë-Ünïcode-42").statusCode()).isEqualTo(303);
    }
}
