package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped: a login, which must read the password hash, answers the 503 page with Retry-After; silent
 * renewal of a signed-in browser keeps answering from the directory caches and Redis; the replica stays ready;
 * logins work again by themselves once PostgreSQL is back.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DirectoryOutageTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;

    @Test
    void loginWhenPostgresStoppedThen503WithRetryAfterWhileSilentRenewalKeepsAnsweringThenRecovers() {
        TestBrowser signedIn = new TestBrowser();
        Response consent = signedIn.login(signedIn.authorize(validRequest()), "bob", "bob-password");
        assertThat(redirectParams(signedIn.consent(consent, "approve"))).containsKey("code");
        // An SPA renews every few minutes: by the outage this replica has read the consent since it was given
        // (its own change notification, a moment after the commit, drops the entry once).
        sleep(1500);
        assertThat(redirectParams(signedIn.authorize(with(validRequest(), "prompt", "none")))).containsKey("code");
        TestBrowser other = new TestBrowser();
        Response loginPage = other.authorize(validRequest());

        TestPostgres.get().stop();
        try {
            Response login = other.login(loginPage, "alice", "alice-password");
            assertThat(login.statusCode()).isEqualTo(503);
            assertThat(login.getHeader("Retry-After")).isEqualTo("5");
            assertThat(pageError(login)).isEqualTo("temporarily_unavailable");
            assertThat(login.asString()).doesNotContain("Exception");

            Response silent = signedIn.authorize(with(validRequest(), "prompt", "none"));
            assertThat(silent.statusCode()).isEqualTo(302);
            assertThat(redirectParams(silent)).containsKey("code").containsEntry("state", "state-123");

            assertThat(given().get(readiness).statusCode()).as("readiness is the pod's, not PostgreSQL's").isEqualTo(200);
        } finally {
            TestPostgres.get().start();
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            TestBrowser again = new TestBrowser();
            Response afterwards = again.login(again.authorize(validRequest()), "alice", "alice-password");
            if (afterwards.statusCode() != 503) {
                assertThat(afterwards.statusCode()).isIn(200, 302);
                return;
            }
            assertThat(System.nanoTime()).as("logins recover within 20 s").isLessThan(deadline);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
