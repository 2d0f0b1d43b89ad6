package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.redirectBase;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.authorize.browser.BrowserCookies;
import io.latchkey.model.directory.ConsentDirectory;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Login, consent, code issuance, SSO and silent renewal through the pages, as a browser does them. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LoginConsentFlowTest {

    private static final String SPA_CALLBACK = "https://spa.example.com/callback";

    /** Each test starts without remembered consents; the users are shared by every test. */
    @BeforeEach
    void forgetConsents() {
        for (String subject : new String[] {"alice-sub", "bob-sub"}) {
            for (String client : new String[] {"spa", "other", "native"}) {
                // Through the directory, so this service's consent cache forgets at once too.
                Arc.container().instance(ConsentDirectory.class).get().delete(subject, client).await().atMost(Duration.ofSeconds(10));
            }
        }
    }

    static void forgetAllConsents() {
        new LoginConsentFlowTest().forgetConsents();
    }

    private static Map<String, String> otherClient() {
        return with(with(validRequest(), "client_id", "other"), "redirect_uri", "https://other.example.com/callback");
    }

    /** Signs bob in through the spa client and approves; returns the code redirect. */
    private static Response signInAndApprove(TestBrowser browser, String username, String password) {
        Response login = browser.authorize(validRequest());
        Response consent = browser.login(login, username, password);
        assertThat(consent.statusCode()).isEqualTo(200);
        return browser.consent(consent, "approve");
    }

    @Test
    void loginThenConsentThenRedirectWithCodeStateAndIss() {
        TestBrowser browser = new TestBrowser();
        Response login = browser.authorize(validRequest());
        String requestId = TestBrowser.hidden(login.asString()).get("request_id");
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.authorizationRequest(requestId))).isEqualTo("1");

        Response consent = browser.login(login, "alice", "alice-password");
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.asString()).contains("Demo SPA").contains("Confirm who you are").contains("See your name");

        Response done = browser.consent(consent, "approve");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(redirectBase(done)).isEqualTo(SPA_CALLBACK);
        Map<String, String> params = redirectParams(done);
        assertThat(params).containsEntry("state", "state-123").containsEntry("iss", AuthorizeValidationTest.ISSUER)
                .doesNotContainKey("error");
        OpaqueToken code = OpaqueToken.parse(params.get("code")).orElseThrow();
        String grant = TestRedis.get().command("GET", RedisKeys.code(code.family(), code.hash()));
        assertThat(grant).contains("\"clientId\":\"spa\"").contains("\"subject\":\"alice-sub\"")
                .contains("\"nonce\":\"nonce-456\"").contains("\"codeChallenge\":\"" + TestBrowser.CHALLENGE + "\"")
                .contains("\"amr\":[\"pwd\"]").contains("\"redirectUri\":\"" + SPA_CALLBACK + "\"");
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", RedisKeys.code(code.family(), code.hash()))))
                .isBetween(1L, 60_000L);
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.authorizationRequest(requestId)))
                .as("the pending request ends with its code").isEqualTo("0");
    }

    /** RFC 9449 §10: the key thumbprint named at /authorize goes into the code grant, which token-service checks. */
    @Test
    void authorizeWithDpopJktThenTheCodeGrantCarriesIt() {
        String jkt = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
        TestBrowser browser = new TestBrowser();
        Response consent = browser.login(browser.authorize(with(validRequest(), "dpop_jkt", jkt)), "alice", "alice-password");
        Response done = browser.consent(consent, "approve");
        OpaqueToken code = OpaqueToken.parse(redirectParams(done).get("code")).orElseThrow();
        assertThat(TestRedis.get().command("GET", RedisKeys.code(code.family(), code.hash())))
                .contains("\"dpopJkt\":\"" + jkt + "\"");

        // Silent renewal without it: the next code is bound to no key.
        Response silent = browser.authorize(with(validRequest(), "prompt", "none"));
        OpaqueToken unbound = OpaqueToken.parse(redirectParams(silent).get("code")).orElseThrow();
        assertThat(TestRedis.get().command("GET", RedisKeys.code(unbound.family(), unbound.hash()))).doesNotContain(jkt);
    }

    @Test
    void loginWhenSuccessfulThenHostSessionCookieStoredByHash() {
        TestBrowser browser = new TestBrowser();
        Response login = browser.authorize(validRequest());
        Response consent = browser.login(login, "alice", "alice-password");
        String setCookie = consent.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(BrowserCookies.SESSION + "=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("; Path=/").contains("; Secure").contains("; HttpOnly").contains("; SameSite=Lax")
                .doesNotContain("Domain=");
        String secret = browser.cookies.get(BrowserCookies.SESSION);
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.session(OpaqueToken.sha256(secret)))).isEqualTo("1");
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.session(secret))).as("never stored in clear").isEqualTo("0");
    }

    @Test
    void loginWhenSessionAlreadyExistedThenNewSessionIdIssued() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        String first = browser.cookies.get(BrowserCookies.SESSION);
        Response login = browser.authorize(with(validRequest(), "prompt", "login"));
        browser.login(login, "alice", "alice-password");
        String second = browser.cookies.get(BrowserCookies.SESSION);
        assertThat(second).isNotEqualTo(first);
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.session(OpaqueToken.sha256(first)))).isEqualTo("0");
    }

    @Test
    void consentWhenDeniedThenAccessDeniedRedirectAndRequestEnded() {
        TestBrowser browser = new TestBrowser();
        Response login = browser.authorize(validRequest());
        String requestId = TestBrowser.hidden(login.asString()).get("request_id");
        Response consent = browser.login(login, "bob", "bob-password");
        Response denied = browser.consent(consent, "deny");
        assertThat(denied.statusCode()).isEqualTo(303);
        assertThat(redirectBase(denied)).isEqualTo(SPA_CALLBACK);
        assertThat(redirectParams(denied)).containsEntry("error", "access_denied").containsEntry("state", "state-123")
                .containsEntry("iss", AuthorizeValidationTest.ISSUER).doesNotContainKey("code");
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.authorizationRequest(requestId))).isEqualTo("0");
    }

    @Test
    void authorizeWhenConsentRememberedThenCodeWithoutAnyPage() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        Response again = browser.authorize(validRequest());
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(redirectParams(again)).containsKey("code").containsEntry("state", "state-123");
    }

    @Test
    void authorizeWhenMoreScopesThanConsentedThenConsentPageAgain() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        Response more = browser.authorize(with(validRequest(), "scope", "openid profile email"));
        assertThat(more.statusCode()).isEqualTo(200);
        assertThat(more.asString()).contains("See your email address");
    }

    @Test
    void loginWhenFirstPartyClientThenNoConsentPage() {
        TestBrowser browser = new TestBrowser();
        Response login = browser.authorize(with(with(validRequest(), "client_id", "first-party"), "redirect_uri",
                "https://own.example.com/callback"));
        Response done = browser.login(login, "bob", "bob-password");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(redirectBase(done)).isEqualTo("https://own.example.com/callback");
        assertThat(redirectParams(done)).containsKey("code").containsEntry("iss", AuthorizeValidationTest.ISSUER);
    }

    @Test
    void loginWhenWrongPasswordUnknownUserOrDisabledUserThenSameGenericMessage() {
        TestBrowser browser = new TestBrowser();
        Response page = browser.authorize(validRequest());
        Response wrongPassword = browser.login(page, "bob", "not-bobs-password");
        Response unknownUser = browser.login(page, "nobody-here", "whatever");
        Response disabledUser = browser.login(page, "dave", "dave-password");
        for (Response r : new Response[] {wrongPassword, unknownUser, disabledUser}) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.getHeader("Location")).isNull();
            assertThat(r.asString()).contains("data-problem=\"invalid\"").contains("The username or password is incorrect.");
            assertThat(browser.cookies).doesNotContainKey(BrowserCookies.SESSION);
        }
    }

    @Test
    void authorizeWhenPromptNoneWithSessionAndConsentThenCodeWithoutPageOrPasswordHash() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        int hashesBefore = CountingPasswordHasher.CHECKS.get();
        Response silent = browser.authorize(with(validRequest(), "prompt", "none"));
        assertThat(silent.statusCode()).isEqualTo(302);
        assertThat(silent.asString()).isEmpty();
        assertThat(silent.contentType()).doesNotContain("text/html");
        assertThat(redirectParams(silent)).containsKey("code").containsEntry("state", "state-123")
                .containsEntry("iss", AuthorizeValidationTest.ISSUER);
        assertThat(CountingPasswordHasher.CHECKS.get()).as("silent renewal never hashes").isEqualTo(hashesBefore);
    }

    @Test
    void authorizeWhenPromptNoneWithSessionButNoConsentThenConsentRequiredRedirect() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "bob", "bob-password");
        Response silent = browser.authorize(with(otherClient(), "prompt", "none"));
        assertThat(silent.statusCode()).isEqualTo(302);
        assertThat(redirectBase(silent)).isEqualTo("https://other.example.com/callback");
        assertThat(redirectParams(silent)).containsEntry("error", "consent_required").containsEntry("state", "state-123")
                .containsEntry("iss", AuthorizeValidationTest.ISSUER);
    }

    @Test
    void authorizeWhenPromptNoneAfterLogoutThenLoginRequiredRedirect() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        TestRedis.get().command("DEL", RedisKeys.session(OpaqueToken.sha256(browser.cookies.get(BrowserCookies.SESSION))));
        Response silent = browser.authorize(with(validRequest(), "prompt", "none"));
        assertThat(silent.statusCode()).isEqualTo(302);
        assertThat(redirectParams(silent)).containsEntry("error", "login_required");
    }

    @Test
    void authorizeWhenPromptLoginWithSessionThenLoginPage() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        Response response = browser.authorize(with(validRequest(), "prompt", "login"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).contains("name=\"password\"");
        Response done = browser.login(response, "alice", "alice-password");
        assertThat(done.statusCode()).as("consent is remembered, so the fresh login ends with the code").isEqualTo(303);
        assertThat(redirectParams(done)).containsKey("code");
    }

    /** Moves the browser's last sign-in into the past, in Redis, keeping the session's lifetime. */
    private static void signedInSecondsAgo(TestBrowser browser, long seconds) {
        String key = RedisKeys.session(OpaqueToken.sha256(browser.cookies.get(BrowserCookies.SESSION)));
        String json = TestRedis.get().command("GET", key);
        java.util.regex.Matcher authTime = java.util.regex.Pattern.compile("\"authTime\":(\\d+)").matcher(json);
        assertThat(authTime.find()).as(json).isTrue();
        String earlier = authTime.replaceFirst("\"authTime\":" + (Long.parseLong(authTime.group(1)) - seconds));
        assertThat(TestRedis.get().command("SET", key, earlier, "KEEPTTL")).isEqualTo("OK");
    }

    @Test
    void authorizeWhenMaxAgeExceededThenLoginPage() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        signedInSecondsAgo(browser, 5); // instead of waiting for the clock to pass max_age
        // max_age=1 (0 always asks, see the next test): the sign-in 5 s ago is too old.
        Response response = browser.authorize(with(validRequest(), "max_age", "1"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).contains("name=\"password\"");
        Response within = browser.authorize(with(validRequest(), "max_age", "3600"));
        assertThat(within.statusCode()).isEqualTo(302);
        assertThat(redirectParams(within)).containsKey("code");
    }

    @Test
    void authorizeWhenMaxAgeZeroThenFreshLoginThenConsentThenCode() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "bob", "bob-password");
        forgetConsents();
        Response login = browser.authorize(with(validRequest(), "max_age", "0"));
        assertThat(login.statusCode()).isEqualTo(200);
        Response consent = browser.login(login, "bob", "bob-password");
        assertThat(consent.statusCode()).isEqualTo(200);
        Response done = browser.consent(consent, "approve");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(redirectParams(done)).containsKey("code");
    }

    @Test
    void authorizeWhenPromptConsentThenConsentPageEvenIfRemembered() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        Response response = browser.authorize(with(validRequest(), "prompt", "consent"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).contains("name=\"decision\"");
    }

    @Test
    void authorizeWhenLoginHintGivenThenUsernamePrefilled() {
        Response response = new TestBrowser().authorize(with(validRequest(), "login_hint", "alice"));
        assertThat(response.asString()).contains("name=\"username\" type=\"text\" value=\"alice\"");
    }

    @Test
    void authorizeWhenResponseModeFragmentThenCodeInFragment() {
        TestBrowser browser = new TestBrowser();
        signInAndApprove(browser, "alice", "alice-password");
        Response response = browser.authorize(with(validRequest(), "response_mode", "fragment"));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.getHeader("Location")).startsWith(SPA_CALLBACK + "#code=");
    }
}
