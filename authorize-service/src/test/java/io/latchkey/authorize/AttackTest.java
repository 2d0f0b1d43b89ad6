package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.model.store.LoginThrottleStore;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an attacker would try against the pages: forged forms, borrowed requests, guessing, swapped clients. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AttackTest {

    @Inject
    LoginThrottleStore throttles;

    @BeforeEach
    void forgetConsentsAndFailures() {
        LoginConsentFlowTest.forgetAllConsents();
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("account", "carol"));
    }

    private static void assertRefusedPage(Response response) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.getHeader("Location")).as("no redirect").isNull();
        assertThat(pageError(response)).isEqualTo("invalid_request");
    }

    private static Map<String, String> loginForm(Response page, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>(TestBrowser.hidden(page.asString()));
        form.put("username", username);
        form.put("password", password);
        return form;
    }

    @Test
    void loginWhenCsrfTokenMissingThenRefusedAndNoSession() {
        TestBrowser browser = new TestBrowser();
        Map<String, String> form = loginForm(browser.authorize(validRequest()), "alice", "alice-password");
        form.remove("csrf_token");
        Response response = browser.post("/login", form);
        assertRefusedPage(response);
        assertThat(browser.cookies).doesNotContainKey(BrowserCookies.SESSION);
    }

    @Test
    void loginWhenCsrfTokenOfAnotherRequestThenRefused() {
        TestBrowser browser = new TestBrowser();
        Response first = browser.authorize(validRequest());
        Response second = browser.authorize(validRequest());
        Map<String, String> form = loginForm(first, "alice", "alice-password");
        form.put("csrf_token", TestBrowser.hidden(second.asString()).get("csrf_token"));
        assertRefusedPage(browser.post("/login", form));
        assertThat(browser.cookies).doesNotContainKey(BrowserCookies.SESSION);
    }

    @Test
    void consentWhenCsrfTokenMissingThenRefusedAndNoCode() {
        TestBrowser browser = new TestBrowser();
        Response consent = browser.login(browser.authorize(validRequest()), "alice", "alice-password");
        Map<String, String> form = new LinkedHashMap<>(TestBrowser.hidden(consent.asString()));
        form.remove("csrf_token");
        form.put("decision", "approve");
        assertRefusedPage(browser.post("/consent", form));
    }

    @Test
    void loginWhenPendingRequestIdUsedFromAnotherBrowserThenRefused() {
        TestBrowser victim = new TestBrowser();
        Map<String, String> form = loginForm(victim.authorize(validRequest()), "alice", "alice-password");
        TestBrowser attacker = new TestBrowser();
        attacker.authorize(validRequest());
        assertRefusedPage(attacker.post("/login", form));
        assertRefusedPage(new TestBrowser().post("/login", form));
    }

    @Test
    void consentWhenPendingRequestIdUsedFromAnotherBrowserThenRefused() {
        TestBrowser victim = new TestBrowser();
        Response consent = victim.login(victim.authorize(validRequest()), "alice", "alice-password");
        Map<String, String> form = new LinkedHashMap<>(TestBrowser.hidden(consent.asString()));
        form.put("decision", "approve");
        TestBrowser attacker = new TestBrowser();
        attacker.authorize(validRequest());
        attacker.cookies.put(BrowserCookies.SESSION, victim.cookies.get(BrowserCookies.SESSION));
        assertRefusedPage(attacker.post("/consent", form));
    }

    @Test
    void consentWhenRequestAlreadyAnsweredThenRefused() {
        TestBrowser browser = new TestBrowser();
        Response consent = browser.login(browser.authorize(validRequest()), "alice", "alice-password");
        assertThat(browser.consent(consent, "approve").statusCode()).isEqualTo(303);
        assertRefusedPage(browser.consent(consent, "approve"));
    }

    @Test
    void authorizeWhenCodeRequestForClientAReplayedWithClientBRedirectUriThenErrorPage() {
        Map<String, String> forA = with(validRequest(), "redirect_uri", "https://other.example.com/callback");
        Response response = new TestBrowser().authorize(forA);
        assertRefusedPage(response);
        Map<String, String> forB = with(with(validRequest(), "client_id", "other"), "redirect_uri", "https://spa.example.com/callback");
        assertRefusedPage(new TestBrowser().authorize(forB));
    }

    @Test
    void loginWhenParameterRepeatedThenInvalidRequestPageAndNoSession() {
        for (String repeated : List.of("username", "password", "request_id", "csrf_token")) {
            TestBrowser browser = new TestBrowser();
            Map<String, String> form = loginForm(browser.authorize(validRequest()), "alice", "alice-password");
            int checksBefore = CountingPasswordHasher.CHECKS.get();
            // The second value is the right one, too: the refusal is about the repetition, not the values.
            Response response = browser.request().contentType("application/x-www-form-urlencoded").formParams(form)
                    .formParam(repeated, form.get(repeated)).post("/login");
            assertRefusedPage(response);
            assertThat(response.asString()).as(repeated).contains(repeated + " is repeated.");
            assertThat(response.getHeader("Set-Cookie")).as(repeated).isNull();
            assertThat(CountingPasswordHasher.CHECKS.get()).as("no password checked").isEqualTo(checksBefore);
        }
    }

    @Test
    void loginWhenTwentyWrongPasswordsThenThrottledAndRightPasswordWorksAfterTheWait() {
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("account", "carol")); // other tests throttle carol too
        TestBrowser browser = new TestBrowser();
        Response page = browser.authorize(validRequest());
        int checksBefore = CountingPasswordHasher.CHECKS.get();
        int invalid = 0;
        int throttled = 0;
        Response last = null;
        for (int i = 0; i < 20; i++) {
            last = browser.login(page, "carol", "wrong-" + i);
            if (last.statusCode() == 401) {
                invalid++;
                assertThat(last.asString()).contains("data-problem=\"invalid\"");
            } else {
                assertThat(last.statusCode()).isEqualTo(429);
                assertThat(last.getHeader("Location")).isNull();
                assertThat(last.asString()).contains("data-problem=\"throttled\"").containsPattern("Try again in [0-9]+ s\\.");
                throttled++;
            }
        }
        // The fifth failure starts the first wait, so it already answers 429.
        assertThat(invalid).as("the free attempts answer normally").isGreaterThanOrEqualTo(4);
        assertThat(throttled).as("then the account waits").isGreaterThan(0);
        assertThat(CountingPasswordHasher.CHECKS.get() - checksBefore).as("passwords checked").isLessThan(20);

        // During the wait even the right password is not checked. The wait is pinned to 2.5 s from now: the
        // natural one after the last counted failure may be a few hundred milliseconds and run out on a slow machine.
        TestRedis.get().command("HSET", RedisKeys.loginThrottle("account", "carol"), "until",
                Long.toString(System.currentTimeMillis() + 2_500));
        int checksBeforeRightPassword = CountingPasswordHasher.CHECKS.get();
        Response during = browser.login(page, "carol", "carol-password");
        assertThat(during.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(during.getHeader("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 3L);
        assertThat(CountingPasswordHasher.CHECKS.get()).as("no password checked while waiting").isEqualTo(checksBeforeRightPassword);

        // The wait runs out (forced, instead of sitting it out); the failures are still counted.
        TestRedis.get().command("HSET", RedisKeys.loginThrottle("account", "carol"), "until", "0");
        Response after = browser.login(page, "carol", "carol-password");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.asString()).contains("name=\"decision\"");
        assertThat(browser.cookies).containsKey(BrowserCookies.SESSION);
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.loginThrottle("account", "carol")))
                .as("a successful login forgets the account's failures").isEqualTo("0");
    }

    @Test
    void loginWhenThrottledThenOtherAccountsAreNotAffected() {
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("account", "carol"));
        TestBrowser browser = new TestBrowser();
        Response page = browser.authorize(validRequest());
        for (int i = 0; i < 8; i++) {
            browser.login(page, "carol", "wrong-" + i);
        }
        String key = RedisKeys.loginThrottle("account", "carol");
        assertThat(Integer.parseInt(TestRedis.get().command("HGET", key, "failures"))).isGreaterThanOrEqualTo(5);
        // The waits here are short (200 ms and up); pin this one, so that a slow machine cannot let it run out.
        TestRedis.get().command("HSET", key, "until", Long.toString(System.currentTimeMillis() + 60_000));
        assertThat(browser.login(page, "carol", "carol-password").statusCode()).isEqualTo(429);
        assertThat(browser.login(page, "bob", "bob-password").statusCode()).isEqualTo(200);
    }

    @Test
    void throttleWhenFailuresContinueThenWaitDoublesUpToTheCap() {
        LoginThrottleStore.Policy policy = new LoginThrottleStore.Policy(2, Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofMinutes(1));
        String address = "198.51.100." + (int) (Math.random() * 250);
        String key = RedisKeys.loginThrottle("address", address);
        TestRedis.get().command("DEL", key);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            LoginThrottleStore.Reservation admitted = throttles.reserve("address", address, policy).await().indefinitely();
            assertThat(admitted.admitted()).as("attempt %d", i + 1).isTrue();
            waits.add(admitted.delay().toMillis());
            if (!admitted.delay().isZero()) {
                LoginThrottleStore.Reservation refused = throttles.reserve("address", address, policy).await().indefinitely();
                assertThat(refused.admitted()).as("an attempt during the wait").isFalse();
                assertThat(refused.delay().toMillis()).isBetween(1L, 500L);
                assertThat(TestRedis.get().command("HGET", key, "failures")).as("a refused attempt counts nothing")
                        .isEqualTo(Integer.toString(i + 1));
                TestRedis.get().command("HSET", key, "until", "0"); // the wait runs out
            }
        }
        assertThat(waits).containsExactly(0L, 100L, 200L, 400L, 500L, 500L);
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", key)))
                .as("failures are forgotten after the window").isBetween(1L, 60_000L);
    }

    @Test
    void authorizeWhenSilentRenewalInAnotherBrowserThenLoginRequired() {
        TestBrowser victim = new TestBrowser();
        Response consent = victim.login(victim.authorize(validRequest()), "alice", "alice-password");
        victim.consent(consent, "approve");
        TestBrowser stranger = new TestBrowser();
        Response response = stranger.authorize(with(validRequest(), "prompt", "none"));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(redirectParams(response)).containsEntry("error", "login_required");
    }

    @Test
    void authorizeWhenSessionCookieForgedThenTreatedAsSignedOut() {
        TestBrowser browser = new TestBrowser();
        browser.cookies.put(BrowserCookies.SESSION, "forged-session-value");
        Response response = browser.authorize(with(validRequest(), "prompt", "none"));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(redirectParams(response)).containsEntry("error", "login_required");
    }
}
