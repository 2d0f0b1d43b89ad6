package io.latchkey.model.realm.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.ClientType;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.password.PasswordHasher;
import io.latchkey.model.realm.RealmException;
import io.latchkey.model.realm.RealmFile;
import io.latchkey.model.realm.RealmSource;
import io.latchkey.model.realm.RealmValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Against {@code keycloak/acme-realm-export.json}, a realm exported by Keycloak 26.5.6 itself (see the README
 * beside it): users hashed with pbkdf2-sha256, pbkdf2-sha512 and argon2 (id, i, d), clients of each kind.
 */
class KeycloakExportTest {

    static final String FIXTURE = "/keycloak/acme-realm-export.json";

    /** The passwords the fixture's users were created with in Keycloak, and the hash Keycloak chose. */
    static final Map<String, String> PASSWORDS = new LinkedHashMap<>();

    static {
        PASSWORDS.put("pat.morgan", "pat-Sunrise-2024!");          // pbkdf2-sha256
        PASSWORDS.put("zoë.brandt", "Zoë-Ünïcode-42");             // pbkdf2-sha256, created as Zoë.Brandt
        PASSWORDS.put("sam.okafor", "Okafor#Blue#Lagoon");         // pbkdf2-sha512
        PASSWORDS.put("dana.kowalski", "dana-Disabled-9");         // pbkdf2-sha512, disabled
        PASSWORDS.put("jo.rivera", "Rivera-Totp-77");              // pbkdf2-sha512, with OTP, roles, IdP link
        PASSWORDS.put("ari.lindqvist", "ari-argon2-Pässwörd");     // argon2id 1.3
        PASSWORDS.put("lee.chen", "Lee-Chen-argon2i");             // argon2i 1.3
        PASSWORDS.put("mo.haddad", "Mo-Haddad-argon2d");           // argon2d 1.0
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PasswordHasher hasher = new PasswordHasher();

    static String fixture() {
        try (InputStream in = KeycloakExportTest.class.getResourceAsStream(FIXTURE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeycloakExport.Conversion convertFixture() {
        return KeycloakExport.convert(new RealmSource(Path.of("acme-realm-export.json"), fixture()));
    }

    /** The fixture changed by {@code edit}, written out again (pretty, so errors have lines to name). */
    static RealmSource edited(Consumer<ObjectNode> edit) {
        try {
            ObjectNode realm = (ObjectNode) JSON.readTree(fixture());
            edit.accept(realm);
            return new RealmSource(Path.of("edited-export.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(realm));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode user(ObjectNode realm, String username) {
        for (JsonNode u : realm.get("users")) {
            if (u.get("username").asText().equals(username)) {
                return (ObjectNode) u;
            }
        }
        throw new AssertionError("no user " + username);
    }

    static ObjectNode client(ObjectNode realm, String clientId) {
        for (JsonNode c : realm.get("clients")) {
            if (c.get("clientId").asText().equals(clientId)) {
                return (ObjectNode) c;
            }
        }
        throw new AssertionError("no client " + clientId);
    }

    static int indexOf(ObjectNode realm, String list, String field, String value) {
        for (int i = 0; i < realm.get(list).size(); i++) {
            if (realm.get(list).get(i).get(field).asText().equals(value)) {
                return i;
            }
        }
        throw new AssertionError("no " + value);
    }

    private static RealmFile.UserEntry converted(KeycloakExport.Conversion conversion, String username) {
        return conversion.realm().users().stream().filter(u -> u.username().equals(username)).findFirst().orElseThrow();
    }

    private static RealmFile.Client convertedClient(KeycloakExport.Conversion conversion, String clientId) {
        return conversion.realm().clients().stream().filter(c -> c.clientId().equals(clientId)).findFirst().orElseThrow();
    }

    // --- detection ---

    @Test
    void looksLikeKeycloakExportWhenKeycloakRealmThenTrue() {
        assertThat(KeycloakExport.looksLikeKeycloakExport(fixture())).isTrue();
        assertThat(KeycloakExport.looksLikeKeycloakExport("[ {\"realm\": \"acme\", \"users\": []} ]")).isTrue();
    }

    @Test
    void looksLikeKeycloakExportWhenLatchkeyRealmFileOrNotJsonThenFalse() {
        assertThat(KeycloakExport.looksLikeKeycloakExport("clients:\n  - clientId: demo\n    type: public\n")).isFalse();
        assertThat(KeycloakExport.looksLikeKeycloakExport("{\"clients\": [], \"users\": [{\"username\": \"realm\"}]}")).isFalse();
        assertThat(KeycloakExport.looksLikeKeycloakExport("{\"users\": [], \"clients\": [{\"realm\": \"x\"}]}")).isFalse();
        assertThat(KeycloakExport.looksLikeKeycloakExport("{\"realm\": ")).isFalse();
        assertThat(KeycloakExport.looksLikeKeycloakExport("")).isFalse();
        assertThat(KeycloakExport.looksLikeKeycloakExport(null)).isFalse();
    }

    // --- passwords ---

    @Test
    void convertWhenPbkdf2Sha256UserThenHashVerifiesOldPassword() {
        String hash = converted(convertFixture(), "pat.morgan").passwordHash();
        assertThat(hash).startsWith("$pbkdf2-sha256$i=600000,l=32$");
        assertThat(hasher.verify("pat-Sunrise-2024!".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("pat-Sunrise-2024?".toCharArray(), hash)).isFalse();
        assertThat(hasher.needsRehash(hash)).isTrue();
    }

    @Test
    void convertWhenPbkdf2Sha512UserThenHashVerifiesOldPassword() {
        String hash = converted(convertFixture(), "sam.okafor").passwordHash();
        assertThat(hash).startsWith("$pbkdf2-sha512$i=210000,l=64$");
        assertThat(hasher.verify("Okafor#Blue#Lagoon".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("okafor#Blue#Lagoon".toCharArray(), hash)).isFalse();
        assertThat(hasher.needsRehash(hash)).isTrue();
    }

    @Test
    void convertWhenArgon2idUserThenHashVerifiesOldNonAsciiPassword() {
        String hash = converted(convertFixture(), "ari.lindqvist").passwordHash();
        assertThat(hash).startsWith("$argon2id$v=19$m=7168,t=5,p=1$");
        assertThat(hasher.verify("ari-argon2-Pässwörd".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("ari-argon2-Password".toCharArray(), hash)).isFalse();
        assertThat(hasher.needsRehash(hash)).as("Keycloak's Argon2id parameters are not Latchkey's").isTrue();
    }

    @Test
    void convertWhenArgon2iOrArgon2dUserThenHashVerifiesOldPassword() {
        KeycloakExport.Conversion conversion = convertFixture();
        String argon2i = converted(conversion, "lee.chen").passwordHash();
        String argon2d = converted(conversion, "mo.haddad").passwordHash();
        assertThat(argon2i).startsWith("$argon2i$v=19$m=7168,t=5,p=1$");
        assertThat(argon2d).startsWith("$argon2d$v=16$m=7168,t=5,p=1$");
        assertThat(hasher.verify("Lee-Chen-argon2i".toCharArray(), argon2i)).isTrue();
        assertThat(hasher.verify("Mo-Haddad-argon2d".toCharArray(), argon2d)).isTrue();
        assertThat(hasher.verify("Mo-Haddad-argon2i".toCharArray(), argon2d)).isFalse();
        assertThat(hasher.needsRehash(argon2i)).isTrue();
        assertThat(hasher.needsRehash(argon2d)).isTrue();
    }

    @Test
    void convertWhenAnyFixtureUserThenOldPasswordVerifiesAndAWrongOneDoesNot() {
        KeycloakExport.Conversion conversion = convertFixture();
        assertThat(conversion.realm().users()).extracting(RealmFile.UserEntry::username)
                .containsExactlyInAnyOrderElementsOf(PASSWORDS.keySet());
        PASSWORDS.forEach((username, password) -> {
            String hash = converted(conversion, username).passwordHash();
            assertThat(PasswordHasher.isHash(hash)).as(username).isTrue();
            assertThat(hasher.verify(password.toCharArray(), hash)).as(username).isTrue();
            assertThat(hasher.verify((password + "x").toCharArray(), hash)).as(username + ", wrong password").isFalse();
        });
    }

    @Test
    void convertWhenAlgorithmUnknownThenErrorNamesUserAndCredential() {
        RealmSource source = edited(realm -> ((ObjectNode) user(realm, "pat.morgan").get("credentials").get(0))
                .put("credentialData", "{\"hashIterations\":10,\"algorithm\":\"bcrypt\",\"additionalParameters\":{}}"));
        int index = indexOf((ObjectNode) readTree(source.text()), "users", "username", "pat.morgan");
        assertThatThrownBy(() -> KeycloakExport.convert(source))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("users[" + index + "].credentials[0]")
                .hasMessageContaining("'pat.morgan'")
                .hasMessageContaining("'bcrypt'")
                .hasMessageMatching("(?s)Realm file edited-export.json line \\d+, .*");
    }

    // --- users ---

    @Test
    void convertWhenUserThenSubjectIsKeycloakIdAndDisabledStaysDisabled() {
        KeycloakExport.Conversion conversion = convertFixture();
        assertThat(converted(conversion, "pat.morgan").id()).isEqualTo("f3003716-3d8c-461e-97a9-4e7692e7d5e4");
        assertThat(converted(conversion, "pat.morgan").enabled()).isTrue();
        assertThat(converted(conversion, "dana.kowalski").enabled()).isFalse();
    }

    @Test
    void convertWhenUserHasNamesEmailAndAttributesThenTheyBecomeClaims() {
        KeycloakExport.Conversion conversion = convertFixture();
        assertThat(converted(conversion, "sam.okafor").claims()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "given_name", "Sam", "family_name", "Okafor", "name", "Sam Okafor",
                "email", "sam.okafor@acme.test", "email_verified", true,
                "department", "Engineering", "team", List.of("payments", "platform")));
        assertThat(converted(conversion, "zoë.brandt").claims()).containsEntry("given_name", "Zoë").containsEntry("name", "Zoë Brandt");
        assertThat(converted(conversion, "jo.rivera").claims()).containsEntry("email_verified", false);
    }

    @Test
    void convertWhenServiceAccountUserThenSkippedAndSaid() {
        KeycloakExport.Conversion conversion = convertFixture();
        assertThat(conversion.realm().users()).noneMatch(u -> u.username().startsWith("service-account-"));
        assertThat(conversion.skipped()).anyMatch(s -> s.contains("'service-account-acme-backend'") && s.contains("acme-backend"));
    }

    @Test
    void convertWhenUserHasOtpRolesGroupsIdpLinkAndRequiredActionsThenEachIsAWarning() {
        KeycloakExport.Conversion conversion = convertFixture();
        List<String> jo = conversion.warnings().stream().filter(w -> w.contains("'jo.rivera'")).toList();
        assertThat(jo).anyMatch(w -> w.contains("one-time-password") && w.contains("'Phone'"));
        assertThat(jo).anyMatch(w -> w.contains("UPDATE_PROFILE"));
        assertThat(jo).anyMatch(w -> w.contains("corp-oidc as 'jrivera'"));
        assertThat(jo).anyMatch(w -> w.contains("realm roles [editor]"));
        assertThat(jo).anyMatch(w -> w.contains("/staff"));
        assertThat(jo).allMatch(w -> w.matches("users\\[\\d+] 'jo.rivera': .*"));
        assertThat(conversion.warnings()).anyMatch(w -> w.startsWith("Identity providers [corp-oidc (oidc)]"));
        assertThat(converted(conversion, "jo.rivera").passwordHash()).startsWith("$pbkdf2-sha512$");
    }

    @Test
    void convertWhenUserHasNoUsernameThenErrorNamesTheRecord() {
        int[] index = new int[1];
        RealmSource source = edited(realm -> {
            index[0] = indexOf(realm, "users", "username", "sam.okafor");
            user(realm, "sam.okafor").remove("username");
        });
        assertThatThrownBy(() -> KeycloakExport.convert(source))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("users[" + index[0] + "].username")
                .hasMessageContaining("f6e3f41b-2126-4e0d-8cd2-526eeb131ad5")
                .hasMessageContaining("no username");
    }

    @Test
    void convertWhenTwoUsernamesAreOneInCanonicalFormThenValidatorRefusesNamingKeycloakRecords() {
        int[] indexes = new int[2];
        RealmSource source = edited(realm -> {
            ObjectNode copy = user(realm, "pat.morgan").deepCopy();
            copy.put("id", "0b6f3c1e-5a55-4a0e-9c9e-2d8f2f7f0001").put("username", "ＰＡＴ.Morgan");
            ((ArrayNode) realm.get("users")).add(copy);
            indexes[0] = indexOf(realm, "users", "username", "pat.morgan");
            indexes[1] = realm.get("users").size() - 1;
        });
        assertThatThrownBy(() -> KeycloakExport.convert(source))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("users[" + indexes[1] + "].username")
                .hasMessageContaining("user 'ＰＡＴ.Morgan'")
                .hasMessageContaining("users[" + indexes[0] + "] 'pat.morgan'")
                .hasMessageContaining("appears twice")
                .hasMessageStartingWith("Realm file edited-export.json line ");
    }

    @Test
    void convertedRealmPassesTheValidatorWithTheConversionsSource() {
        KeycloakExport.Conversion conversion = convertFixture();
        RealmValidator.validate(conversion.source(), conversion.realm());
        assertThat(conversion.realmName()).isEqualTo("acme");
        assertThat(conversion.keycloakVersion()).isEqualTo("26.5.6");
    }

    // --- clients ---

    @Test
    void convertWhenPublicSpaClientThenRedirectOriginsAndPkceCarryOver() {
        KeycloakExport.Conversion conversion = convertFixture();
        RealmFile.Client spa = convertedClient(conversion, "acme-spa");
        assertThat(spa.type()).isEqualTo("public");
        assertThat(spa.name()).isEqualTo("Acme Web App");
        assertThat(spa.secret()).isNull();
        assertThat(spa.redirectUris()).containsExactly("http://localhost:5173/callback");
        assertThat(spa.webOrigins()).as("'+' is the redirect URIs' origins").containsExactly("http://localhost:5173");
        assertThat(spa.postLogoutRedirectUris()).containsExactly("http://localhost:5173/");
        assertThat(spa.grantTypes()).containsExactly("authorization_code", "refresh_token");
        assertThat(spa.scopes()).containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
        assertThat(spa.firstParty()).as("no consent screen in Keycloak").isTrue();
        assertThat(spa.signingAlg()).isEqualTo("RS256");
        assertThat(conversion.warnings()).noneMatch(w -> w.contains("clients[4] 'acme-spa'"));

        ClientRegistration registration = RealmValidator.client(conversion.source(), "clients[0]", spa, c -> "unused");
        assertThat(registration.type()).isEqualTo(ClientType.PUBLIC);
        assertThat(registration.grantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
    }

    @Test
    void convertWhenConfidentialServiceAccountClientThenSecretAndClientCredentials() {
        RealmFile.Client backend = convertedClient(convertFixture(), "acme-backend");
        assertThat(backend.type()).isEqualTo("confidential");
        assertThat(backend.secret()).as("hashed by the importer").isEqualTo("b1ll1ng-Backend-Secret-2f9c");
        assertThat(backend.secretHash()).isNull();
        assertThat(backend.grantTypes()).containsExactly("client_credentials");
        assertThat(backend.redirectUris()).isEmpty();
    }

    @Test
    void convertWhenClientDidNotRequirePkceOrAllowsPasswordGrantThenWarned() {
        KeycloakExport.Conversion conversion = convertFixture();
        RealmFile.Client portal = convertedClient(conversion, "acme-portal");
        assertThat(portal.grantTypes()).containsExactly("authorization_code", "refresh_token");
        assertThat(portal.postLogoutRedirectUris()).as("'+' is the redirect URIs").containsExactly("https://portal.acme.test/oidc/callback");
        assertThat(portal.webOrigins()).containsExactly("https://portal.acme.test");
        assertThat(conversion.warnings()).anyMatch(w -> w.contains("'acme-portal'") && w.contains("PKCE"));
        assertThat(conversion.warnings()).anyMatch(w -> w.contains("'acme-portal'") && w.contains("direct access grants"));
    }

    @Test
    void convertWhenClientsHadDefaultScopesThenOneWarningSaysApplicationsMustAskForThem() {
        assertThat(convertFixture().warnings()).filteredOn(w -> w.contains("default scopes"))
                .containsExactly("Clients [acme-portal, acme-spa]: Keycloak put their default scopes' claims (profile, email) "
                        + "in every token, asked for or not; Latchkey releases the scopes an application requests, so an "
                        + "application that never asked for them must add them to its scope parameter");
    }

    @Test
    void convertWhenKeycloakBuiltInClientsThenSkippedAndListed() {
        KeycloakExport.Conversion conversion = convertFixture();
        assertThat(conversion.realm().clients()).extracting(RealmFile.Client::clientId)
                .containsExactlyInAnyOrder("acme-backend", "acme-portal", "acme-spa");
        assertThat(conversion.skipped()).anyMatch(s -> s.startsWith("Keycloak's built-in clients")
                && List.of("account", "account-console", "admin-cli", "broker", "realm-management", "security-admin-console")
                        .stream().allMatch(s::contains));
    }

    @Test
    void convertWhenWildcardRedirectUriThenRefusedNamingClientAndUri() {
        int[] index = new int[1];
        RealmSource source = edited(realm -> {
            index[0] = indexOf(realm, "clients", "clientId", "acme-spa");
            ((ArrayNode) client(realm, "acme-spa").get("redirectUris")).add("http://localhost:5173/*");
        });
        assertThatThrownBy(() -> KeycloakExport.convert(source))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("clients[" + index[0] + "].redirectUris[1]")
                .hasMessageContaining("client 'acme-spa'")
                .hasMessageContaining("'http://localhost:5173/*'")
                .hasMessageContaining("exactly")
                .hasMessageStartingWith("Realm file edited-export.json line ");
    }

    @Test
    void convertWhenPlainPkceThenRefusedNamingClient() {
        RealmSource source = edited(realm -> ((ObjectNode) client(realm, "acme-spa").get("attributes"))
                .put("pkce.code.challenge.method", "plain"));
        assertThatThrownBy(() -> KeycloakExport.convert(source))
                .isInstanceOf(RealmException.class)
                .hasMessageContaining("client 'acme-spa'")
                .hasMessageContaining("'plain'")
                .hasMessageContaining("S256");
    }

    @Test
    void convertWhenAnyOriginOrMaskedSecretOrJwtAuthenticationThenRefused() {
        assertThatThrownBy(() -> KeycloakExport.convert(edited(realm ->
                ((ArrayNode) client(realm, "acme-spa").get("webOrigins")).add("*"))))
                .hasMessageContaining("client 'acme-spa'").hasMessageContaining("'*'");
        assertThatThrownBy(() -> KeycloakExport.convert(edited(realm ->
                client(realm, "acme-backend").put("secret", "**********"))))
                .hasMessageContaining("client 'acme-backend'").hasMessageContaining("masked");
        assertThatThrownBy(() -> KeycloakExport.convert(edited(realm ->
                client(realm, "acme-portal").put("clientAuthenticatorType", "client-jwt"))))
                .hasMessageContaining("client 'acme-portal'").hasMessageContaining("'client-jwt'");
    }

    @Test
    void convertWhenDisabledOrSamlClientThenLeftOutWithAWarning() {
        KeycloakExport.Conversion conversion = KeycloakExport.convert(edited(realm -> {
            client(realm, "acme-portal").put("enabled", false);
            client(realm, "acme-backend").put("protocol", "saml");
        }));
        assertThat(conversion.realm().clients()).extracting(RealmFile.Client::clientId).containsExactly("acme-spa");
        assertThat(conversion.warnings()).anyMatch(w -> w.contains("'acme-portal': not imported") && w.contains("disabled"));
        assertThat(conversion.warnings()).anyMatch(w -> w.contains("'acme-backend': not imported") && w.contains("saml"));
    }

    @Test
    void convertWhenRelativeRedirectUriThenResolvedAgainstRootUrl() {
        RealmFile.Client portal = convertedClient(KeycloakExport.convert(edited(realm -> {
            ObjectNode c = client(realm, "acme-portal");
            c.put("rootUrl", "https://portal.acme.test/");
            ((ArrayNode) c.get("redirectUris")).removeAll().add("/oidc/callback");
        })), "acme-portal");
        assertThat(portal.redirectUris()).containsExactly("https://portal.acme.test/oidc/callback");
    }

    @Test
    void convertWhenSeveralRealmsOrUsersElsewhereThenSaid() {
        String one = fixture();
        assertThatThrownBy(() -> KeycloakExport.convert(new RealmSource(Path.of("all.json"), "[" + one + "," + one + "]")))
                .isInstanceOf(RealmException.class).hasMessageContaining("holds 2 Keycloak realms");
        KeycloakExport.Conversion noUsers = KeycloakExport.convert(edited(realm -> realm.remove("users")));
        assertThat(noUsers.realm().users()).isEmpty();
        assertThat(noUsers.warnings()).anyMatch(w -> w.contains("--users same_file"));
    }

    @Test
    void convertWhenNotJsonOrWrongShapeThenRealmException() {
        assertThatThrownBy(() -> KeycloakExport.convert(new RealmSource(Path.of("x.json"), "{\"realm\": \"acme\", ")))
                .isInstanceOf(RealmException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> KeycloakExport.convert(new RealmSource(Path.of("x.json"), "{\"realm\": \"acme\", \"users\": 7}")))
                .isInstanceOf(RealmException.class).hasMessageContaining("x.json").hasMessageContaining("users");
    }

    @Test
    void convertWhenFixtureThenEveryWarningAndSkipNamesWhatItConcerns() {
        KeycloakExport.Conversion conversion = convertFixture();
        assertThat(conversion.warnings()).isNotEmpty().allMatch(w -> !w.isBlank());
        assertThat(conversion.skipped()).anyMatch(s -> s.startsWith("Realm 'acme' settings"));
        Set<String> warnedUsers = Set.of("jo.rivera");
        for (String username : PASSWORDS.keySet()) {
            if (!warnedUsers.contains(username)) {
                assertThat(conversion.warnings()).as(username).noneMatch(w -> w.contains("'" + username + "'"));
            }
        }
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
