package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis frozen: every answer is a 503 temporarily_unavailable with Retry-After, never a 500. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RedisOutageTest {

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
    void readinessWhenRedisUnreachableThenDown() {
        assertThat(new TestBrowser().request().get("/q/health/ready").statusCode()).isEqualTo(200);
        TestRedis.get().pause();
        Response response = new TestBrowser().request().get("/q/health/ready");
        assertThat(response.statusCode()).isEqualTo(503);
        TestRedis.get().resume();
        Response back = new TestBrowser().request().get("/q/health/ready");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(redirectParams(new TestBrowser().authorize(Map.of("response_type", "token", "client_id", "spa",
                "redirect_uri", "https://spa.example.com/callback", "state", "s")))).containsEntry("error", "unsupported_response_type");
    }
}
