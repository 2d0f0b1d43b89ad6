package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.validRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.AuditRows;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The authorize leg's audit rows, from real logins, consent and logout: a failed login gives the same event whether
 * the name is unknown, the password wrong or the account disabled, and no row ever holds a password.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AuditEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void loginWhenWrongPasswordUnknownUserOrDisabledAccountThenOneIndistinguishableFailedEventWithoutPassword() throws Exception {
        long mark = AuditRows.mark();
        String guess = "guess-" + UUID.randomUUID();
        String nobody = "nobody-" + UUID.randomUUID();
        TestBrowser browser = new TestBrowser();
        Response page = browser.authorize(validRequest());
        page = browser.login(page, "bob", guess);
        page = browser.login(page, nobody, guess);
        // The right password of a disabled account.
        browser.login(page, "dave", "dave-password");

        List<AuditRows.Row> failed = AuditRows.await(mark, r -> r.type().equals("login.failed"), 3, WAIT);
        assertThat(failed).hasSize(3);
        for (AuditRows.Row row : failed) {
            assertThat(row.actor()).isNull();
            assertThat(row.subject()).isNull();
            assertThat(row.clientId()).isEqualTo("spa");
            JsonNode details = JSON.readTree(row.details());
            assertThat(details.fieldNames()).toIterable().containsExactlyInAnyOrder("address", "username");
        }
        assertThat(failed).extracting(r -> JSON.readTree(r.details()).get("username").asText())
                .containsExactly("bob", nobody, "dave");
        assertThat(AuditRows.after(mark)).noneMatch(r -> r.details().contains(guess) || r.details().contains("dave-password"))
                .noneMatch(r -> r.type().equals("login.succeeded"));
    }

    @Test
    void loginConsentAndLogoutThenEachIsARowNamingTheUserAndClient() throws Exception {
        LoginConsentFlowTest.forgetAllConsents();
        long mark = AuditRows.mark();
        TestBrowser browser = new TestBrowser();
        Response consent = browser.login(browser.authorize(validRequest()), "alice", "alice-password");
        browser.consent(consent, "approve").then().statusCode(303);
        String sid = OpaqueToken.sha256(browser.cookies.get(BrowserCookies.SESSION));
        browser.post("/logout", Map.of("confirm", "yes")).then().statusCode(200);

        List<AuditRows.Row> rows = AuditRows.await(mark, r -> r.subject() != null && r.subject().equals("alice-sub"), 3, WAIT);
        assertThat(rows).extracting(AuditRows.Row::type).containsExactly("login.succeeded", "consent.given", "logout");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.actor()).isEqualTo("user:alice-sub");
            assertThat(row.clientId()).isEqualTo(row.type().equals("logout") ? null : "spa");
            assertThat(row.details()).doesNotContain("alice-password");
        });
        assertThat(JSON.readTree(rows.get(0).details()).get("address").asText()).isNotBlank();
        assertThat(JSON.readTree(rows.get(1).details()).get("scopes")).extracting(JsonNode::asText)
                .containsExactly("openid", "profile");
        JsonNode logout = JSON.readTree(rows.get(2).details());
        assertThat(logout.get("sid").asText()).isEqualTo(sid);
        assertThat(logout.get("confirmed_by").asText()).isEqualTo("person");
    }
}
