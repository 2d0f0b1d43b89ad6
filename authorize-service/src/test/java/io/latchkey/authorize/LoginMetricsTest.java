package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Login outcomes are counted at /q/metrics (latchkey_logins_total by outcome), for Prometheus. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LoginMetricsTest {

    @TestHTTPResource(value = "metrics", management = true) // under the management root, /q
    URL metrics;

    @Test
    void successesFailuresAndThrottledAttemptsAreCountedByOutcome() {
        double success = logins("success");
        double failure = logins("failure");
        double throttled = logins("throttled");

        TestBrowser alice = new TestBrowser();
        // The consent page (200), or straight back to the client where consent is remembered (303).
        assertThat(alice.login(alice.authorize(validRequest()), "alice", "alice-password").statusCode()).isIn(200, 303);

        // An account of its own, so other tests' throttles do not interfere: 5 free failures, then waits
        // that double from 200 ms, so a quick next attempt meets a wait and is throttled unchecked.
        String account = "metrics-" + UUID.randomUUID();
        TestBrowser browser = new TestBrowser();
        List<Response> pages = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pages.add(browser.authorize(validRequest()));
        }
        int attempts = 0;
        while (attempts < pages.size() && logins("throttled") == throttled) {
            browser.login(pages.get(attempts++), account, "wrong");
        }

        assertThat(logins("success") - success).isEqualTo(1);
        assertThat(logins("throttled") - throttled).isEqualTo(1);
        assertThat(logins("failure") - failure).isEqualTo(attempts - 1).isGreaterThanOrEqualTo(5);
    }

    private double logins(String outcome) {
        String metrics = given().get(this.metrics).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^latchkey_logins_total\\{outcome=\"" + outcome + "\"} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
