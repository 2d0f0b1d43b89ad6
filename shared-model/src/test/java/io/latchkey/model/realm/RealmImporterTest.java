package io.latchkey.model.realm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.domain.ClientType;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.store.ClientStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.store.UserStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RealmImporterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    RealmImporter importer;

    @Inject
    ClientStore clients;

    @Inject
    UserStore users;

    @Inject
    PasswordHasher hasher;

    private final String suffix = OpaqueToken.randomId(6).replace('-', 'x').replace('_', 'y');

    private String realm(String spaRedirect, String alicePassword) {
        return """
                clients:
                  - clientId: spa-%1$s
                    name: Demo SPA
                    type: public
                    redirectUris: [%2$s]
                    scopes: [openid, profile, email, offline_access]
                  - clientId: backend-%1$s
                    type: confidential
                    secret: s3cret-%1$s
                    grantTypes: [client_credentials]
                users:
                  - username: alice-%1$s
                    password: %3$s
                    claims:
                      name: Alice
                      email: alice@example.com
                      email_verified: true
                """.formatted(suffix, spaRedirect, alicePassword);
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile("realm", ".yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void importCreatesClientsAndUsersWithPlainTextHashed() throws IOException {
        var result = importer.importFile(write(realm("https://app.example.com/cb", "wonderland")));

        assertThat(result).isEqualTo(new RealmImporter.Result(3, 0, 0));
        var spa = clients.find("spa-" + suffix).await().atMost(WAIT).orElseThrow();
        assertThat(spa.type()).isEqualTo(ClientType.PUBLIC);
        assertThat(spa.webOrigins()).containsExactly("https://app.example.com");
        assertThat(spa.grantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
        var backend = clients.find("backend-" + suffix).await().atMost(WAIT).orElseThrow();
        assertThat(backend.secretHash()).startsWith("$argon2id$").doesNotContain("s3cret");
        assertThat(hasher.verify(("s3cret-" + suffix).toCharArray(), backend.secretHash())).isTrue();
        var alice = users.findByUsername("alice-" + suffix).await().atMost(WAIT).orElseThrow();
        assertThat(alice.passwordHash()).startsWith("$argon2id$");
        assertThat(hasher.verify("wonderland".toCharArray(), alice.passwordHash())).isTrue();
        assertThat(alice.claims()).containsEntry("email", "alice@example.com");
    }

    @Test
    void secondImportOfTheSameFileChangesNothing() throws IOException {
        Path file = write(realm("https://app.example.com/cb", "wonderland"));
        importer.importFile(file);
        String hashBefore = users.findByUsername("alice-" + suffix).await().atMost(WAIT).orElseThrow().passwordHash();

        assertThat(importer.importFile(file)).isEqualTo(new RealmImporter.Result(0, 0, 3));
        assertThat(users.findByUsername("alice-" + suffix).await().atMost(WAIT).orElseThrow().passwordHash()).isEqualTo(hashBefore);
    }

    @Test
    void editedFileUpdatesWhatItDeclares() throws IOException {
        importer.importFile(write(realm("https://app.example.com/cb", "wonderland")));

        var result = importer.importFile(write(realm("https://app.example.com/callback", "looking-glass")));

        assertThat(result).isEqualTo(new RealmImporter.Result(0, 2, 1));
        assertThat(clients.find("spa-" + suffix).await().atMost(WAIT).orElseThrow().redirectUris())
                .containsExactly("https://app.example.com/callback");
        var alice = users.findByUsername("alice-" + suffix).await().atMost(WAIT).orElseThrow();
        assertThat(hasher.verify("looking-glass".toCharArray(), alice.passwordHash())).isTrue();
    }

    @Test
    void malformedYamlNamesFileLineAndColumn() throws IOException {
        Path file = write("clients:\n  - clientId: a\n    type: public\n   redirectUris: [x\n");
        assertThatThrownBy(() -> importer.importFile(file))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 4");
    }

    @Test
    void misspeltFieldNamesItsPathAndLine() throws IOException {
        Path file = write("clients:\n  - clientId: a\n    type: public\n    redirectUri: [https://a/cb]\n");
        assertThatThrownBy(() -> importer.importFile(file))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("clients[0].redirectUri")
                .hasMessageContaining("unknown setting 'redirectUri'")
                .hasMessageContaining("redirectUris");
    }

    @Test
    void wrongTypeOfValueNamesWhatWasExpected() throws IOException {
        Path file = write("users:\n  - username: bob\n    password: x\n    enabled: maybe\n");
        assertThatThrownBy(() -> importer.importFile(file))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("users[0].enabled")
                .hasMessageContaining("line 4")
                .hasMessageContaining("expected true or false")
                .hasMessageNotContaining("io.latchkey");
    }

    @Test
    void semanticErrorsNameThePathAndWhatWasExpected() throws IOException {
        String[][] cases = {
                {"clients:\n  - clientId: a\n    type: secretive\n    redirectUris: [https://a/cb]\n", "clients[0].type", "'public' or 'confidential'"},
                {"clients:\n  - clientId: a\n    type: confidential\n    redirectUris: [https://a/cb]\n", "clients[0]", "'secret' or 'secretHash'"},
                {"clients:\n  - clientId: a\n    type: public\n    redirectUris: [https://a/cb#frag]\n", "clients[0].redirectUris[0]", "without fragment"},
                {"clients:\n  - clientId: a\n    type: public\n    redirectUris: [https://a/cb]\n    signingAlg: none\n", "clients[0].signingAlg", "RS256"},
                {"clients:\n  - clientId: a\n    type: public\n    grantTypes: [client_credentials]\n", "clients[0].grantTypes", "confidential"},
                {"users:\n  - username: bob\n", "users[0]", "'password' or 'passwordHash'"},
                {"users:\n  - username: bob\n    password: x\n  - username: BOB\n    password: y\n", "users[1]", "appears twice"},
        };
        for (String[] c : cases) {
            Path file = write(c[0]);
            assertThatThrownBy(() -> importer.importFile(file)).as(c[1])
                    .isInstanceOf(RealmException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(c[1])
                    .hasMessageContaining(c[2]);
        }
    }

    @Test
    void importIndexesEveryClientsWebOriginsAlsoForClientsStoredBeforeTheIndex() throws IOException {
        // Host names are compared in lower case (RFC 6454 §4), and so stored.
        String origin = "https://app-" + suffix.toLowerCase(java.util.Locale.ROOT) + ".example.com";
        Path file = write(realm(origin + "/cb", "wonderland"));
        importer.importFile(file);
        assertThat(clients.webOrigins().await().atMost(WAIT)).contains(origin);

        // As after an upgrade from a release without the index: the unchanged clients are indexed again.
        TestRedis.get().command("HDEL", RedisKeys.clientOrigins(), "spa-" + suffix);
        assertThat(importer.importFile(file)).isEqualTo(new RealmImporter.Result(0, 0, 3));
        assertThat(clients.webOrigins().await().atMost(WAIT)).contains(origin);
    }

    @Test
    void resourceServerIsImportedForConfidentialClientsAndRefusedForPublicOnes() throws IOException {
        String text = realm("https://app.example.com/cb", "wonderland")
                .replace("    grantTypes: [client_credentials]\n", "    grantTypes: [client_credentials]\n    resourceServer: true\n");
        importer.importFile(write(text));
        assertThat(clients.find("backend-" + suffix).await().atMost(WAIT).orElseThrow().resourceServer()).isTrue();
        assertThat(clients.find("spa-" + suffix).await().atMost(WAIT).orElseThrow().resourceServer()).isFalse();

        Path publicResourceServer = write("clients:\n  - clientId: a\n    type: public\n    redirectUris: [https://a/cb]\n"
                + "    resourceServer: true\n");
        assertThatThrownBy(() -> importer.importFile(publicResourceServer)).isInstanceOf(RealmException.class)
                .hasMessageContaining("clients[0].resourceServer").hasMessageContaining("confidential");
    }

    @Test
    void invalidFileWritesNothing() throws IOException {
        String text = realm("https://app.example.com/cb", "wonderland") + "  - username: broken\n";
        assertThatThrownBy(() -> importer.importFile(write(text))).isInstanceOf(RealmException.class);
        assertThat(clients.find("spa-" + suffix).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> importer.importFile(Path.of("/nonexistent/realm.yaml")))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("/nonexistent/realm.yaml")
                .hasMessageContaining("does not exist");
    }
}
