package io.latchkey.admin.loginoptions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.admin.TestTokens;
import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.directory.PasskeyDirectory.Passkey;
import io.latchkey.model.directory.SecondFactorDirectory;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.domain.User;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.AuditRows;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login-options API against real PostgreSQL and Redis: the report shows no secret, a reset removes the second
 * factor and the passkeys with one audit row naming the caller, and a passkey is reachable only through its own
 * user's path. Rows are made through SecondFactorDirectory and PasskeyDirectory as the login flow makes them.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LoginOptionsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    private static final String TOTP_SECRET = "v1.encrypted-totp-secret";
    private static final String PUBLIC_KEY = "pQECAyYgASFYIPublicKeyCose";

    @Inject
    PublishedKeys keys;
    @Inject
    UserDirectory users;
    @Inject
    SecondFactorDirectory secondFactors;
    @Inject
    PasskeyDirectory passkeys;
    @Inject
    Pool pool;

    @BeforeEach
    void publishKey() {
        TestTokens.publish(keys);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    private String user() {
        String userId = "u-" + OpaqueToken.randomId(6);
        await(pool.withTransaction(tx -> users.save(tx, List.of(new User(userId, "name-" + userId, PASSWORD_HASH, true, Map.of())))));
        return userId;
    }

    private void enrolTotp(String userId, int recoveryCodes) {
        List<byte[]> digests = IntStream.range(0, recoveryCodes)
                .mapToObj(i -> (userId + "-code-" + i + "-padding-to-32-bytes!").substring(0, 32).getBytes(StandardCharsets.UTF_8))
                .toList();
        await(secondFactors.enrolTotp(userId, TOTP_SECRET, 1000, digests));
    }

    private Passkey passkey(String userId, String name, boolean backupEligible) {
        String credentialId = "cred-" + OpaqueToken.randomId(8);
        return await(passkeys.add(new Passkey(0, userId, credentialId, name, PUBLIC_KEY, 0, backupEligible, false, true,
                List.of("internal"), "00000000-0000-0000-0000-000000000000", null, null)));
    }

    private static String scim() {
        return TestTokens.bearer("ops", "scim");
    }

    @Test
    void loginOptionsListTotpRecoveryCodesAndPasskeysWithoutSecretsOrCredentialIds() {
        String userId = user();
        enrolTotp(userId, 3);
        Passkey laptop = passkey(userId, "Laptop", false);
        Passkey phone = passkey(userId, "Phone", true);
        await(passkeys.recordUse(phone.credentialId(), 0, 4, true));

        Response response = given().header("Authorization", scim())
                .when().get("/admin/users/{id}/login-options", userId)
                .then().statusCode(200).header("Cache-Control", "no-store")
                .body("user", equalTo(userId))
                .body("totp.enrolled", equalTo(true))
                .body("totp.recovery_codes_left", equalTo(3))
                .body("passkeys.id", equalTo(List.of((int) laptop.id(), (int) phone.id())))
                .body("passkeys.name", equalTo(List.of("Laptop", "Phone")))
                .body("passkeys.backup_eligible", equalTo(List.of(false, true)))
                .body("passkeys[0].created_at", equalTo(laptop.createdAt().toString()))
                .body("passkeys[0].last_used_at", nullValue())
                .body("passkeys[1].last_used_at", org.hamcrest.Matchers.notNullValue())
                .extract().response();

        String body = response.asString();
        assertThat(body).doesNotContain(TOTP_SECRET, PUBLIC_KEY, laptop.credentialId(), phone.credentialId(), PASSWORD_HASH);
    }

    @Test
    void loginOptionsOfUserWithNoneThenNotEnrolledAndNoPasskeys() {
        String userId = user();

        given().header("Authorization", scim())
                .when().get("/admin/users/{id}/login-options", userId)
                .then().statusCode(200)
                .body("totp.enrolled", equalTo(false))
                .body("totp.recovery_codes_left", equalTo(0))
                .body("totp.enrolled_at", nullValue())
                .body("passkeys", equalTo(List.of()));
    }

    @Test
    void resetRemovesTotpRecoveryCodesAndPasskeysOnlyOfThatUserWithOneAuditRowNamingTheCaller() throws Exception {
        String userId = user();
        String other = user();
        enrolTotp(userId, 10);
        passkey(userId, "Laptop", false);
        passkey(userId, "Phone", true);
        enrolTotp(other, 2);
        Passkey othersKey = passkey(other, "Theirs", false);

        long mark = AuditRows.mark();
        given().header("Authorization", scim())
                .when().delete("/admin/users/{id}/login-options", userId)
                .then().statusCode(204);

        assertThat(await(secondFactors.findTotp(userId))).isEmpty();
        assertThat(await(secondFactors.recoveryCodesLeft(userId))).isZero();
        assertThat(await(passkeys.list(userId))).isEmpty();
        assertThat(await(users.findByUsername("name-" + userId)).orElseThrow().passwordHash())
                .as("the password stays: the user signs in with it").isEqualTo(PASSWORD_HASH);
        assertThat(await(secondFactors.findTotp(other))).isPresent();
        assertThat(await(secondFactors.recoveryCodesLeft(other))).isEqualTo(2);
        assertThat(await(passkeys.list(other))).extracting(Passkey::id).containsExactly(othersKey.id());

        List<AuditRows.Row> rows = AuditRows.after(mark).stream().filter(row -> row.subject() != null && row.subject().equals(userId)).toList();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.type()).isEqualTo("user.login-options-reset");
            assertThat(row.actor()).isEqualTo("client:ops");
        });
        JsonNode details = JSON.readTree(rows.get(0).details());
        assertThat(details).isEqualTo(JSON.readTree("{\"totp\": true, \"recoveryCodes\": 10, \"passkeys\": 2}"));
    }

    @Test
    void resetWhenNothingIsEnrolledThenNoContentAndTheAuditRowCountsNothing() throws Exception {
        String userId = user();

        long mark = AuditRows.mark();
        given().header("Authorization", scim())
                .when().delete("/admin/users/{id}/login-options", userId)
                .then().statusCode(204);

        List<AuditRows.Row> rows = AuditRows.after(mark).stream().filter(row -> userId.equals(row.subject())).toList();
        assertThat(rows).extracting(AuditRows.Row::type).containsExactly("user.login-options-reset");
        assertThat(JSON.readTree(rows.get(0).details()))
                .isEqualTo(JSON.readTree("{\"totp\": false, \"recoveryCodes\": 0, \"passkeys\": 0}"));
    }

    @Test
    void loginOptionsOfUnknownUserThenNotFoundInTheOAuthFormatAndNothingAudited() {
        String unknown = "no-such-user-" + OpaqueToken.randomId(6);
        long mark = AuditRows.mark();

        given().header("Authorization", scim())
                .when().delete("/admin/users/{id}/login-options", unknown)
                .then().statusCode(404).body("error", equalTo("invalid_request"))
                .body("error_description", containsString(unknown));
        given().header("Authorization", scim())
                .when().get("/admin/users/{id}/login-options", unknown)
                .then().statusCode(404).body("error", equalTo("invalid_request"));

        assertThat(AuditRows.after(mark)).filteredOn(row -> unknown.equals(row.subject())).isEmpty();
    }

    @Test
    void loginOptionsWithSessionsScopeThenInsufficientScopeAndNothingRemoved() {
        String userId = user();
        enrolTotp(userId, 1);
        Passkey laptop = passkey(userId, "Laptop", false);
        String sessions = TestTokens.bearer("helpdesk", "sessions audit clients");

        given().header("Authorization", sessions)
                .when().get("/admin/users/{id}/login-options", userId)
                .then().statusCode(403).body("error", equalTo("insufficient_scope"))
                .header("WWW-Authenticate", containsString("scope=\"scim\""));
        given().header("Authorization", sessions)
                .when().delete("/admin/users/{id}/login-options", userId)
                .then().statusCode(403).body("error", equalTo("insufficient_scope"));
        given().header("Authorization", sessions)
                .when().delete("/admin/users/{id}/passkeys/{passkey}", userId, laptop.id())
                .then().statusCode(403).body("error", equalTo("insufficient_scope"));

        assertThat(await(secondFactors.findTotp(userId))).isPresent();
        assertThat(await(passkeys.list(userId))).extracting(Passkey::id).containsExactly(laptop.id());
    }

    @Test
    void loginOptionsWithoutTokenThenUnauthorizedWithBearerChallengeAndNothingRemoved() {
        String userId = user();
        enrolTotp(userId, 1);
        Passkey laptop = passkey(userId, "Laptop", false);

        given().when().get("/admin/users/{id}/login-options", userId)
                .then().statusCode(401).header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        given().when().delete("/admin/users/{id}/login-options", userId)
                .then().statusCode(401);
        given().when().delete("/admin/users/{id}/passkeys/{passkey}", userId, laptop.id())
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.foreign("scim"))
                .when().delete("/admin/users/{id}/login-options", userId)
                .then().statusCode(401).body("error", equalTo("invalid_token"));

        assertThat(await(secondFactors.findTotp(userId))).isPresent();
        assertThat(await(passkeys.list(userId))).hasSize(1);
    }

    @Test
    void removePasskeyRemovesOnlyThatOneWithPasskeyRemovedNamingTheCaller() throws Exception {
        String userId = user();
        enrolTotp(userId, 1);
        Passkey laptop = passkey(userId, "Laptop", false);
        Passkey phone = passkey(userId, "Phone", true);

        long mark = AuditRows.mark();
        given().header("Authorization", scim())
                .when().delete("/admin/users/{id}/passkeys/{passkey}", userId, laptop.id())
                .then().statusCode(204);

        assertThat(await(passkeys.list(userId))).extracting(Passkey::id).containsExactly(phone.id());
        assertThat(await(secondFactors.findTotp(userId))).as("the second factor is another option").isPresent();
        List<AuditRows.Row> rows = AuditRows.after(mark).stream().filter(row -> userId.equals(row.subject())).toList();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.type()).isEqualTo("passkey.removed");
            assertThat(row.actor()).isEqualTo("client:ops");
        });
        assertThat(JSON.readTree(rows.get(0).details())).isEqualTo(JSON.readTree("{\"passkey\": " + laptop.id() + "}"));

        given().header("Authorization", scim())
                .when().delete("/admin/users/{id}/passkeys/{passkey}", userId, laptop.id())
                .then().statusCode(404).body("error", equalTo("invalid_request"));
    }

    @Test
    void removePasskeyOfAnotherUserThroughThisUsersPathThenNotFoundAndNothingRemoved() {
        String mallory = user();
        String victim = user();
        passkey(mallory, "Mine", false);
        Passkey victims = passkey(victim, "Victim's", true);

        long mark = AuditRows.mark();
        given().header("Authorization", scim())
                .when().delete("/admin/users/{id}/passkeys/{passkey}", mallory, victims.id())
                .then().statusCode(404).body("error", equalTo("invalid_request"));
        given().header("Authorization", scim())
                .when().delete("/admin/users/{id}/passkeys/{passkey}", "no-such-user", victims.id())
                .then().statusCode(404);

        assertThat(await(passkeys.list(victim))).extracting(Passkey::id).containsExactly(victims.id());
        assertThat(await(passkeys.list(mallory))).hasSize(1);
        assertThat(AuditRows.after(mark)).filteredOn(row -> row.type().equals("passkey.removed")
                && (mallory.equals(row.subject()) || victim.equals(row.subject()))).isEmpty();
    }

    @Test
    void removePasskeyWhenIdIsNotANumberThenNotFound() {
        String userId = user();
        passkey(userId, "Laptop", false);

        given().header("Authorization", scim())
                .when().delete("/admin/users/{id}/passkeys/{passkey}", userId, "1 OR 1=1")
                .then().statusCode(404);

        assertThat(await(passkeys.list(userId))).hasSize(1);
    }
}
