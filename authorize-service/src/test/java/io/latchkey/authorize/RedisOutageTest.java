package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.realm.RealmImporter;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis frozen or stopped: every answer that needs it is a 503 temporarily_unavailable with Retry-After,
 * never a 500, while the replica stays ready and discovery answers.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RedisOutageTest {

    @TestHTTPResource(value = "health/ready", management = true) // under the management root, /q
    URL readiness;

    @Inject
    RealmImporter realm;

    @AfterEach
    void resume() {
        TestRedis.get().resume();
    }

    @Test
    void authorizeWhenRedisUnreachableThenTemporarilyUnavailablePageWithRetryAfter() {
        TestRedis.get().pause();
        Response response = new TestBrowser().authorize(validRequest());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.getHeader("Location")).isNull();
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(pageError(response)).isEqualTo("temporarily_unavailable");
        assertThat(response.asString()).doesNotContain("Exception");
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
            assertThat(authorize.statusCode()).isEqualTo(503);
            assertThat(authorize.getHeader("Retry-After")).isEqualTo("5");
            assertThat(pageError(authorize)).isEqualTo("temporarily_unavailable");
        } finally {
            TestRedis.get().start();
            // A killed private Redis loses its data; put the registry back as start-up would.
            realm.importFile(Path.of("src/test/resources/test-realm.yaml"));
        }
        assertThat(given().get(readiness).statusCode()).isEqualTo(200);
        assertThat(redirectParams(new TestBrowser().authorize(Map.of("response_type", "token", "client_id", "spa",
                "redirect_uri", "https://spa.example.com/callback", "state", "s")))).containsEntry("error", "unsupported_response_type");
    }
}
