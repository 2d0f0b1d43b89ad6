package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.AuditRows;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lock-out by a third party and the throttle race (issue 11, item 3). Waits here are long (30 s and up), so
 * that "still throttled" cannot pass by a wait running out on a slow machine; 5 free attempts per budget.
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.LongWaits.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LoginThrottleTest {

    public static class LongWaits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "latchkey.login-throttle.account.first-delay", "30s",
                    "latchkey.login-throttle.account.max-delay", "10m",
                    "latchkey.login-throttle.device.first-delay", "30s",
                    "latchkey.login-throttle.device.max-delay", "10m");
        }
    }

    private static final int FREE = 5;

    @BeforeEach
    @AfterEach
    void forgetCarolsFailures() {
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("account", "carol"));
    }

    /** Signs carol in; the browser keeps the session and the trusted-device cookie. */
    private static TestBrowser ownerSignedIn() {
        TestBrowser owner = new TestBrowser();
        Response signedIn = owner.login(owner.authorize(validRequest()), "carol", "carol-password");
        assertThat(signedIn.statusCode()).isIn(200, 303);
        assertThat(owner.cookies).containsKey(BrowserCookies.DEVICE);
        return owner;
    }

    /** A fresh login page for a browser that may already be signed in. */
    private static Response loginPage(TestBrowser browser) {
        Response page = browser.authorize(with(validRequest(), "prompt", "login"));
        assertThat(page.statusCode()).isEqualTo(200);
        return page;
    }

    @Test
    void loginWhenAttackerGuessesFromAnotherBrowserThenOwnerStillSignsIn() {
        TestBrowser owner = ownerSignedIn();

        TestBrowser attacker = new TestBrowser();
        Response attackerPage = attacker.authorize(validRequest());
        long auditMark = AuditRows.mark();
        int checksBefore = CountingPasswordHasher.CHECKS.get();
        Response last = null;
        for (int i = 0; i < 12; i++) {
            last = attacker.login(attackerPage, "carol", "guess-" + i);
        }
        assertThat(CountingPasswordHasher.CHECKS.get() - checksBefore).as("guesses checked").isEqualTo(FREE);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.getHeader("Retry-After")).isNotNull();
        // The security team sees the guesses: the free ones as failures, the rest as throttled, each naming the budget.
        List<AuditRows.Row> throttled = AuditRows.await(auditMark, r -> r.type().equals("login.throttled"), 12 - FREE,
                java.time.Duration.ofSeconds(10));
        assertThat(throttled).hasSize(12 - FREE).allSatisfy(row -> assertThat(row.details())
                .contains("\"username\": \"carol\"").contains("\"budget\": \"account\"").doesNotContain("guess-"));
        assertThat(AuditRows.after(auditMark)).filteredOn(r -> r.type().equals("login.failed")).hasSize(FREE);

        // The owner's browser, trusted since its last sign-in, signs in at once with the right password.
        Response ownerLogin = owner.login(loginPage(owner), "carol", "carol-password");
        assertThat(ownerLogin.statusCode()).isIn(200, 303);
        assertThat(ownerLogin.getHeaders().getValues("Set-Cookie")).anyMatch(c -> c.startsWith(BrowserCookies.SESSION + "="));

        // The attacker stays throttled, even with the right password, which is not even checked.
        int checksBeforeRight = CountingPasswordHasher.CHECKS.get();
        Response attackerRight = attacker.login(attackerPage, "carol", "carol-password");
        assertThat(attackerRight.statusCode()).isEqualTo(429);
        assertThat(attackerRight.asString()).contains("data-problem=\"throttled\"");
        assertThat(attacker.cookies).doesNotContainKey(BrowserCookies.SESSION);
        assertThat(CountingPasswordHasher.CHECKS.get()).isEqualTo(checksBeforeRight);
    }

    @Test
    void loginWhenAttackerPresentsOwnDeviceCookieForVictimThenAccountThrottleStillApplies() {
        TestBrowser attacker = new TestBrowser();
        assertThat(attacker.login(attacker.authorize(validRequest()), "bob", "bob-password").statusCode()).isIn(200, 303);
        assertThat(attacker.cookies).containsKey(BrowserCookies.DEVICE);
        Response page = loginPage(attacker);
        Response last = null;
        for (int i = 0; i < FREE + 1; i++) {
            last = attacker.login(page, "carol", "guess-" + i);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(TestRedis.get().command("HGET", RedisKeys.loginThrottle("account", "carol"), "failures"))
                .as("a device trusted for bob is no device of carol's").isEqualTo(Integer.toString(FREE));
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("account", "bob"));
    }

    @Test
    void loginWhenTrustedDeviceGuessesThenThrottledOnItsOwnBudgetNotTheAccounts() {
        TestBrowser owner = ownerSignedIn();
        String device = OpaqueToken.sha256(owner.cookies.get(BrowserCookies.DEVICE));
        Response page = loginPage(owner);
        Response last = null;
        for (int i = 0; i < FREE + 1; i++) {
            last = owner.login(page, "carol", "typo-" + i);
        }
        assertThat(last.statusCode()).as("a trusted device guessing is slowed too").isEqualTo(429);
        assertThat(TestRedis.get().command("HGET", RedisKeys.loginThrottle("device", device), "failures"))
                .isEqualTo(Integer.toString(FREE));
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.loginThrottle("account", "carol"))).isEqualTo("0");

        TestBrowser elsewhere = new TestBrowser();
        assertThat(elsewhere.login(elsewhere.authorize(validRequest()), "carol", "carol-password").statusCode())
                .as("the account's own budget is untouched").isIn(200, 303);
        TestRedis.get().command("DEL", RedisKeys.loginThrottle("device", device));
    }

    @Test
    void loginWhenSuccessfulThenDeviceCookieIsHostOnlyLongLivedAndStoredByHash() {
        TestBrowser owner = new TestBrowser();
        Response signedIn = owner.login(owner.authorize(validRequest()), "carol", "carol-password");
        String setCookie = signedIn.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(BrowserCookies.DEVICE + "=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=7776000").doesNotContain("Domain");
        String value = owner.cookies.get(BrowserCookies.DEVICE);
        assertThat(value).hasSizeGreaterThanOrEqualTo(43);
        String key = RedisKeys.trustedDevice(OpaqueToken.sha256(value));
        assertThat(TestRedis.get().command("GET", key)).isEqualTo("carol");
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", key))).isBetween(7_776_000_000L - 60_000, 7_776_000_000L);

        // The next sign-in replaces the secret: a copy taken before it is worth nothing after it.
        owner.login(loginPage(owner), "carol", "carol-password");
        assertThat(owner.cookies.get(BrowserCookies.DEVICE)).isNotEqualTo(value);
        assertThat(TestRedis.get().command("EXISTS", key)).isEqualTo("0");
    }

    @Test
    void loginWhenParallelWrongPasswordsThenNoMoreChecksThanFreeAttempts() throws Exception {
        int parallel = 20;
        // A real account: the hasher counts an unknown user's decoy check twice (it calls verify).
        String account = "carol";
        TestBrowser browser = new TestBrowser();
        List<Map<String, String>> forms = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            Map<String, String> form = new LinkedHashMap<>(TestBrowser.hidden(browser.authorize(validRequest()).asString()));
            form.put("username", account);
            form.put("password", "guess-" + i);
            forms.add(form);
        }
        Map<String, String> cookies = new HashMap<>(browser.cookies);
        int checksBefore = CountingPasswordHasher.CHECKS.get();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (Map<String, String> form : forms) {
                statuses.add(threads.submit(() -> {
                    start.await();
                    return given().redirects().follow(false).cookies(cookies).contentType("application/x-www-form-urlencoded")
                            .formParams(form).post("/login").statusCode();
                }));
            }
            start.countDown();
            List<Integer> answers = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answers.add(status.get());
            }
            assertThat(answers).containsOnly(401, 429);
            assertThat(answers.stream().filter(s -> s == 401)).hasSize(FREE - 1);
        } finally {
            threads.shutdownNow();
        }
        assertThat(CountingPasswordHasher.CHECKS.get() - checksBefore).as("passwords checked").isEqualTo(FREE);
        assertThat(TestRedis.get().command("HGET", RedisKeys.loginThrottle("account", account), "failures"))
                .isEqualTo(Integer.toString(FREE));
    }
}
