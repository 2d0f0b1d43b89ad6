package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.redirectBase;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis frozen or stopped: every page that needs it is a 503 temporarily_unavailable with Retry-After (an
 * authorization request of a proven client gets that error as its redirect), never a 500, while the replica
 * stays ready and discovery answers.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RedisOutageTest {

    @TestHTTPResource(value = "health/ready", management = true) // under the management root, /q
    URL readiness;

    @AfterEach
    void resume() {
        TestRedis.get().resume();
    }

    @Test
    void authorizeWhenRedisUnreachableThenTemporarilyUnavailableRedirectToTheProvenClient() {
        TestRedis.get().pause();
        // The client and its redirect URI are proven from the directory, so the error goes back to the client
        // (RFC 6749 §4.1.2.1 temporarily_unavailable), which may retry; no pending request was stored.
        Response response = new TestBrowser().authorize(validRequest());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(redirectBase(response)).isEqualTo("https://spa.example.com/callback");
        assertThat(redirectParams(response)).containsEntry("error", "temporarily_unavailable")
                .containsEntry("state", "state-123").containsEntry("iss", "http://localhost:8080").doesNotContainKey("code");
    }

    @Test
    void loginWhenRedisUnreachableThenTemporarilyUnavailablePage() {
        TestBrowser browser = new TestBrowser();
        Response page = browser.authorize(validRequest());
        TestRedis.get().pause();
        Response response = browser.login(page, "alice", "alice-password");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(pageError(response)).isEqualTo("temporarily_unavailable");
    }

    @Test
    void readinessWhenRedisStoppedThenStaysUpAndDiscoveryAnswers() {
        assertThat(given().get(readiness).statusCode()).isEqualTo(200);
        TestRedis.get().stop();
        try {
            // A Redis blip must not take every replica out of the Service: readiness is the pod's own.
            Response ready = given().get(readiness);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.jsonPath().getString("status")).isEqualTo("UP");
            assertThat(ready.jsonPath().getList("checks.name", String.class)).contains("Graceful Shutdown")
                    .noneMatch(name -> name.toLowerCase(Locale.ROOT).contains("redis"));
            Response discovery = given().get("/.well-known/openid-configuration");
            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(discovery.jsonPath().getString("issuer")).isEqualTo("http://localhost:8080");
            // What needs Redis says so, with a time to come back.
            Response authorize = new TestBrowser().authorize(validRequest());
            assertThat(authorize.statusCode()).isEqualTo(302);
            assertThat(redirectParams(authorize)).containsEntry("error", "temporarily_unavailable");
        } finally {
            TestRedis.get().start();
        }
        assertThat(given().get(readiness).statusCode()).isEqualTo(200);
        assertThat(redirectParams(new TestBrowser().authorize(Map.of("response_type", "token", "client_id", "spa",
                "redirect_uri", "https://spa.example.com/callback", "state", "s")))).containsEntry("error", "unsupported_response_type");
    }
}
