package io.latchkey.model.realm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.domain.ApplicationType;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.domain.User;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.store.RefreshTokenStore;
import io.latchkey.model.store.SessionStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RealmImporterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    RealmImporter importer;

    @Inject
    ClientDirectory clients;

    @Inject
    UserDirectory users;

    @Inject
    SessionStore sessions;

    @Inject
    Pool pool;

    @Inject
    CodeStore codes;

    @Inject
    RefreshTokenStore refreshTokens;

    @Inject
    PasswordHasher hasher;

    /** Lower case, so that every key of this test's records (usernames are stored lower-cased) contains it. */
    private final String suffix = OpaqueToken.randomId(6).replace('-', 'x').replace('_', 'y').toLowerCase(Locale.ROOT);

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
        assertThat(spa.applicationType()).as("web by default").isEqualTo(ApplicationType.WEB);
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
    void nativeApplicationTypeIsImported() throws IOException {
        importer.importFile(write("clients:\n  - clientId: app-%s\n    type: public\n    applicationType: native\n".formatted(suffix)
                + "    redirectUris: [http://127.0.0.1/cb]\n"));
        assertThat(clients.find("app-" + suffix).await().atMost(WAIT).orElseThrow().applicationType()).isEqualTo(ApplicationType.NATIVE);
    }

    @Test
    void usernameIsStoredInItsCanonicalFormAndFoundByAnyLookAlike() throws IOException {
        importer.importFile(write("users:\n  - id: sub-%1$s\n    username: Caf\u00c9-%1$s\n    password: x\n".formatted(suffix)));

        var byNfd = users.findByUsername("cafe\u0301-" + suffix).await().atMost(WAIT).orElseThrow();
        assertThat(byNfd.id()).isEqualTo("sub-" + suffix);
        assertThat(byNfd.username()).isEqualTo("caf\u00e9-" + suffix.toLowerCase(Locale.ROOT));
        assertThat(users.findByUsername("\uFF23\uFF41\uFF46\u00e9-" + suffix).await().atMost(WAIT)).contains(byNfd);
        assertThat(users.findByUsername("cafe-" + suffix).await().atMost(WAIT)).isEmpty();
    }

    /** A valid realm of this test's records, with {@code moreClients} and {@code moreUsers} appended to its lists. */
    private String realmWith(String moreClients, String moreUsers) {
        return """
                clients:
                  - clientId: spa-%1$s
                    type: public
                    redirectUris: [https://app.example.com/cb]
                  - clientId: backend-%1$s
                    type: confidential
                    secret: s3cret-%1$s
                    grantTypes: [client_credentials]
                %2$susers:
                  - id: alice-%1$s
                    username: alice-%1$s
                    password: wonderland
                %3$s""".formatted(suffix, moreClients, moreUsers);
    }

    /** The 1-based line of the {@code n}th line of {@code text} that contains {@code marker}. */
    private static int line(String text, String marker, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = text.indexOf(marker, at + 1);
        }
        assertThat(at).as(marker).isGreaterThanOrEqualTo(0);
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private void assertRefusedAndNothingWritten(String text, int line, String path, String expected) throws IOException {
        Path file = write(text);
        assertThatThrownBy(() -> importer.importFile(file)).as(path)
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("Realm file " + file + " line " + line + ", " + path + ": ")
                .hasMessageContaining(expected);
        assertThat(TestPostgres.get().queryOne("SELECT (SELECT count(*) FROM users WHERE id LIKE '%" + suffix + "%')"
                + " + (SELECT count(*) FROM clients WHERE client_id LIKE '%" + suffix + "%')"))
                .as("rows written for " + path).isEqualTo("0");
    }

    @Test
    void importWhenAClaimHasNoValueThenRefusedWithLineAndPathAndNothingWritten() throws IOException {
        String text = realmWith("", """
                  - username: bob-%1$s
                    password: x
                    claims:
                      name: Bob
                      middle_name: ~
                """.formatted(suffix));
        assertRefusedAndNothingWritten(text, line(text, "middle_name", 1), "users[1].claims.middle_name", "expected a value");
    }

    @Test
    void importWhenTwoUsersHaveOneIdThenRefusedWithLineAndPathAndNothingWritten() throws IOException {
        String text = realmWith("", """
                  - id: alice-%1$s
                    username: carol-%1$s
                    password: x
                """.formatted(suffix));
        assertRefusedAndNothingWritten(text, line(text, "- id: alice-", 2), "users[1]", "'alice-" + suffix + "' appears twice");
    }

    @Test
    void importWhenAnIdIsAnotherUsersUsernameThenRefusedWithLineAndPathAndNothingWritten() throws IOException {
        // dave's id defaults to his username, which is erin's id: before, the second silently overwrote the first.
        String text = realmWith("", """
                  - id: dave-%1$s
                    username: erin-%1$s
                    password: x
                  - username: dave-%1$s
                    password: y
                """.formatted(suffix));
        assertRefusedAndNothingWritten(text, line(text, "- username: dave-", 1), "users[2]", "the same id (a user's id defaults to its username)");
    }

    @Test
    void importWhenAClientIdIsGivenTwiceThenRefusedWithLineAndPathAndNothingWritten() throws IOException {
        String text = realmWith("""
                  - clientId: spa-%1$s
                    type: public
                    redirectUris: [https://other.example.com/cb]
                """.formatted(suffix), "");
        assertRefusedAndNothingWritten(text, line(text, "clientId: spa-", 2), "clients[2].clientId", "appears twice");
    }

    @Test
    void importWhenTwoUsernamesHaveOneCanonicalFormThenRefusedWithLineAndPathAndNothingWritten() throws IOException {
        String text = realmWith("", """
                  - id: other-%1$s
                    username: \uFF21LICE-%1$s
                    password: x
                """.formatted(suffix));
        assertRefusedAndNothingWritten(text, line(text, "username: \uFF21LICE", 1), "users[1].username", "appears twice");
    }

    @Test
    void importWhenAUsernameBelongsToAnAccountTheFileDoesNotDeclareThenRefusedAndNothingWritten() throws IOException {
        pool.withTransaction(tx -> users.save(tx, List.of(new User("owner-" + suffix, "frank-" + suffix, "$2a$05$x", true, Map.of()))))
                .await().atMost(WAIT);
        Path file = write("users:\n  - id: thief-%1$s\n    username: Frank-%1$s\n    password: x\n".formatted(suffix));

        assertThatThrownBy(() -> importer.importFile(file))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("line 3, users[0].username: ")
                .hasMessageContaining("already the username of the account 'owner-" + suffix + "'");
        assertThat(users.find("thief-" + suffix).await().atMost(WAIT)).isEmpty();
        assertThat(users.findByUsername("FRANK-" + suffix).await().atMost(WAIT).orElseThrow().id()).isEqualTo("owner-" + suffix);
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
    void aDeclaredClientThatWasRegisteredDynamicallyBecomesTheFiles() throws IOException {
        String clientId = "registered-" + suffix;
        ClientRegistration registered = new ClientRegistration(clientId, null, ClientType.PUBLIC, null,
                List.of("https://app.example.com/cb"), List.of(), List.of(), Set.of("openid"), null, false, null, null, null,
                null, false);
        pool.withTransaction(tx -> clients.save(tx, registered).chain(() -> tx.preparedQuery(
                "INSERT INTO client_registrations (client_id, access_token_hash, token_endpoint_auth_method) VALUES ($1, $2, 'none')")
                .execute(Tuple.of(clientId, io.vertx.core.buffer.Buffer.buffer(new byte[32]))))).await().atMost(WAIT);

        importer.importFile(write("clients:\n  - clientId: " + clientId + "\n    type: public\n    redirectUris: [https://app.example.com/cb]\n"));

        assertThat(pool.preparedQuery("SELECT count(*) FROM client_registrations WHERE client_id = $1").execute(Tuple.of(clientId))
                .await().atMost(WAIT).iterator().next().getLong(0)).as("no registration access token opens it any more").isZero();
    }

    @Test
    void semanticErrorsNameThePathAndWhatWasExpected() throws IOException {
        String[][] cases = {
                {"clients:\n  - clientId: a\n    type: secretive\n    redirectUris: [https://a/cb]\n", "clients[0].type", "'public' or 'confidential'"},
                {"clients:\n  - clientId: a\n    type: confidential\n    redirectUris: [https://a/cb]\n", "clients[0]", "'secret' or 'secretHash'"},
                {"clients:\n  - clientId: a\n    type: public\n    redirectUris: [https://a/cb#frag]\n", "clients[0].redirectUris[0]", "without fragment"},
                {"clients:\n  - clientId: a\n    type: public\n    redirectUris: [https://a/cb]\n    signingAlg: none\n", "clients[0].signingAlg", "RS256"},
                {"clients:\n  - clientId: a\n    type: public\n    grantTypes: [client_credentials]\n", "clients[0].grantTypes", "confidential"},
                {"clients:\n  - clientId: a\n    type: public\n    applicationType: desktop\n    redirectUris: [https://a/cb]\n", "clients[0].applicationType", "'web' or 'native'"},
                {"clients:\n  - clientId: a\n    type: public\n    redirectUris: [http://127.0.0.1:0/cb]\n", "clients[0].redirectUris[0]", "port from 1 to 65535"},
                {"clients:\n  - clientId: a\n    type: public\n    redirectUris: [https://a/cb]\n    postLogoutRedirectUris: [https://a:65536/]\n", "clients[0].postLogoutRedirectUris[0]", "port from 1 to 65535"},
                {"users:\n  - username: bob\n", "users[0]", "'password' or 'passwordHash'"},
                {"users:\n  - username: bob\n    password: x\n  - username: BOB\n    password: y\n", "users[1]", "appears twice"},
                {"users:\n  - username: alice\n    password: x\n  - username: \uFF41\uFF4C\uFF49\uFF43\uFF45\n    password: y\n", "users[1]", "appears twice"},
                {"users:\n  - username: caf\u00e9\n    password: x\n  - username: cafe\u0301\n    password: y\n", "users[1]", "appears twice"},
                {"users:\n  - username: foo bar\n    password: x\n", "users[0].username", "RFC 8265"},
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
    void importWhenAClientDeclaresOriginsThenTheyAreAmongTheAllowedWebOrigins() throws IOException {
        // Host names are compared in lower case (RFC 6454 §4), and so stored.
        String origin = "https://app-" + suffix.toLowerCase(java.util.Locale.ROOT) + ".example.com";
        importer.importFile(write(realm(origin + "/cb", "wonderland")));
        assertThat(clients.webOrigins().await().atMost(WAIT)).contains(origin);
    }

    @Test
    void importWhenTheFileIsLargerThanTheYamlParsersOwnLimitThenEveryUserIsWritten() throws IOException {
        // 3 MiB is SnakeYAML's default guard; 15,000 users in JSON are well past it.
        StringBuilder json = new StringBuilder("{\"users\": [");
        String hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A".repeat(43);
        for (int i = 0; i < 15_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"bulk-").append(i).append('-').append(suffix)
                    .append("\", \"username\": \"bulk-").append(i).append('-').append(suffix)
                    .append("\", \"passwordHash\": \"").append(hash)
                    .append("\", \"claims\": {\"name\": \"Bulk User ").append(i).append("\", \"email\": \"bulk").append(i)
                    .append("@example.com\"}}");
        }
        Path file = Files.createTempFile("realm", ".json");
        Files.writeString(file, json.append("]}"));
        assertThat(Files.size(file)).isGreaterThan(3L * 1024 * 1024);

        assertThat(importer.importFile(file)).isEqualTo(new RealmImporter.Result(15_000, 0, 0));
        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM users u JOIN credentials c ON c.user_id = u.id"
                + " WHERE u.id LIKE 'bulk-%-" + suffix + "'")).isEqualTo("15000");
    }

    @Test
    void importWhenBothServicesImportAtOnceThenEachRecordIsWrittenOnce() throws Exception {
        Path file = write(realm("https://app.example.com/cb", "wonderland"));
        CompletableFuture<RealmImporter.Result> first = CompletableFuture.supplyAsync(() -> importer.importFile(file));
        CompletableFuture<RealmImporter.Result> second = CompletableFuture.supplyAsync(() -> importer.importFile(file));

        // The advisory lock runs them one after the other: one creates all three records, the other finds them.
        assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(
                new RealmImporter.Result(3, 0, 0), new RealmImporter.Result(0, 0, 3));
        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM users WHERE id = 'alice-" + suffix + "'")).isEqualTo("1");
    }

    @Test
    void importWhenTheFileDisablesAUserThenTheirSessionsAndGrantFamiliesEnd() throws IOException {
        importer.importFile(write(realm("https://app.example.com/cb", "wonderland")));
        String subject = "alice-" + suffix;
        SsoSession session = new SsoSession(OpaqueToken.randomId(16), subject, 1, List.of("pwd"), System.currentTimeMillis() / 1000);
        sessions.save(session).await().atMost(WAIT);
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.session(session.id()))).isEqualTo("1");
        // One family already trading refresh tokens, and one code not yet redeemed.
        String client = "spa-" + suffix;
        String redirect = "https://app.example.com/cb";
        CodeStore.RefreshPolicy refresh = new CodeStore.RefreshPolicy(true, Duration.ofMinutes(5), Duration.ofHours(1));
        String verifier = OpaqueToken.randomId(48);
        CodeGrant grant = new CodeGrant(client, redirect, Pkce.s256(verifier), List.of("openid"), null, subject, 1, session.id(),
                List.of("pwd"), 1);
        OpaqueToken refreshToken = codes.redeem(codes.issue(grant).await().atMost(WAIT).value(), client, redirect, verifier, refresh)
                .await().atMost(WAIT).refreshToken().orElseThrow();
        OpaqueToken pendingCode = codes.issue(grant).await().atMost(WAIT);

        importer.importFile(write(realm("https://app.example.com/cb", "wonderland").replace(
                "  - username: alice-" + suffix + "\n", "  - username: alice-" + suffix + "\n    enabled: false\n")));

        assertThat(users.findByUsername(subject).await().atMost(WAIT).orElseThrow().enabled()).isFalse();
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.session(session.id()))).as("session ended").isEqualTo("0");
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.subjectSessions(subject))).isEqualTo("0");
        assertThat(refreshTokens.rotate(refreshToken.value(), client, Duration.ofMinutes(5)).await().atMost(WAIT).outcome())
                .isEqualTo(RefreshTokenStore.Rotation.Outcome.REVOKED);
        assertThat(codes.redeem(pendingCode.value(), client, redirect, verifier, refresh).await().atMost(WAIT).outcome())
                .as("a code issued before the user was disabled grants nothing").isEqualTo(CodeStore.Redemption.Outcome.UNKNOWN);
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
