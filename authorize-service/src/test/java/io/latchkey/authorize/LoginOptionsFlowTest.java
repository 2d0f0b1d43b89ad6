package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.hidden;
import static io.latchkey.authorize.TestBrowser.pageError;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.latchkey.authorize.otp.SecondFactors;
import io.latchkey.model.authn.Acr;
import io.latchkey.model.directory.SecondFactorDirectory;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sign-ins with more than a password, through the pages as a browser posts them: the policy per client and realm,
 * TOTP enrolment at sign-in, the second step, step-up with acr_values, and the attacks that try to skip a factor.
 * Codes are computed from the secret the enrolment page shows, by an independent TOTP implementation (java-otp), as
 * an authenticator app would.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LoginOptionsFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MULTI_FACTOR = Acr.MULTI_FACTOR;

    @BeforeEach
    void forgetSecondFactors() {
        SecondFactorDirectory directory = Arc.container().instance(SecondFactorDirectory.class).get();
        for (String subject : List.of("erin-sub", "frank-sub", "grace-sub", "heidi-sub")) {
            directory.removeTotp(subject).await().atMost(WAIT);
            TestRedis.get().command("DEL", RedisKeys.loginThrottle("otp", subject));
        }
        LoginConsentFlowTest.forgetAllConsents();
    }

    private static Map<String, String> requestOf(String clientId, String callback) {
        return with(with(validRequest(), "client_id", clientId), "redirect_uri", callback);
    }

    private static Map<String, String> payroll() {
        return requestOf("mfa-app", "https://payroll.example.com/callback");
    }

    private static Map<String, String> kiosk() {
        return requestOf("no-mfa-app", "https://kiosk.example.com/callback");
    }

    private static Map<String, String> firstParty() {
        return requestOf("first-party", "https://own.example.com/callback");
    }

    /** The methods recorded in the code grant the redirect carries. */
    private static String grantOf(Response redirect) {
        OpaqueToken code = OpaqueToken.parse(redirectParams(redirect).get("code")).orElseThrow();
        return TestRedis.get().command("GET", RedisKeys.code(code.family(), code.hash()));
    }

    /** The Base32 secret an enrolment page shows for typing by hand, as a person reads it. */
    private static byte[] secretShownOn(Response enrolmentPage) {
        Matcher m = Pattern.compile("id=\"secret-text\"[^>]*>([A-Z2-7 ]+)<").matcher(enrolmentPage.asString());
        assertThat(m.find()).as("the enrolment page shows the secret").isTrue();
        return new Base32().decode(m.group(1).replace(" ", ""));
    }

    /** What an authenticator app shows for this secret at {@code at}. */
    static String codeAt(byte[] secret, Instant at) {
        try {
            var generator = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6);
            return generator.generateOneTimePasswordString(new SecretKeySpec(secret, "HmacSHA1"), at);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Enrols a TOTP authenticator for a user directly; the secret, to compute codes with. */
    private static byte[] enrolled(String subject) {
        byte[] secret = new byte[20];
        new java.security.SecureRandom().nextBytes(secret);
        // Confirmed with the previous step's code, so that the current step's code is still unused.
        Arc.container().instance(SecondFactors.class).get()
                .enrol(subject, secret, codeAt(secret, Instant.now().minusSeconds(30))).await().atMost(WAIT);
        return secret;
    }

    private static Response submit(TestBrowser browser, Response page, String path, Map<String, String> more) {
        Map<String, String> form = new LinkedHashMap<>(hidden(page.asString()));
        form.putAll(more);
        return browser.post(path, form);
    }

    @Test
    void requiredSecondFactorWithoutOneThenEnrolmentBeforeAnySessionAndCodeCarriesPwdOtpMfa() {
        TestBrowser browser = new TestBrowser();
        Response enrolment = browser.login(browser.authorize(payroll()), "erin", "erin-password");

        assertThat(enrolment.statusCode()).isEqualTo(200);
        assertThat(enrolment.asString()).contains("action=\"/login/totp-enrolment\"").contains("<svg")
                .doesNotContain("name=\"password\"");
        assertThat(browser.cookies).doesNotContainKey("__Host-lk_session");

        Response codes = submit(browser, enrolment, "/login/totp-enrolment",
                Map.of("code", codeAt(secretShownOn(enrolment), Instant.now())));
        assertThat(codes.statusCode()).isEqualTo(200);
        assertThat(Pattern.compile("<li><code>[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}</code></li>")
                .matcher(codes.asString()).results().count()).isEqualTo(10);

        Response done = submit(browser, codes, "/login/continue", Map.of());
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(redirectParams(done)).containsKey("code").doesNotContainKey("error");
        assertThat(grantOf(done)).contains("\"amr\":[\"pwd\",\"otp\",\"mfa\"]");
        assertThat(browser.cookies).containsKey("__Host-lk_session");
    }

    @Test
    void requiredSecondFactorWhenContinuePostedAfterPasswordOnlyThenNoSessionAndNoCode() {
        TestBrowser browser = new TestBrowser();
        Response enrolment = browser.login(browser.authorize(payroll()), "erin", "erin-password");

        // The attack: the password is known, the second factor is not; the sign-in is pushed on from the next page.
        Response skipped = submit(browser, enrolment, "/login/continue", Map.of());
        Response consented = submit(browser, enrolment, "/consent", Map.of("decision", "approve"));

        assertThat(skipped.statusCode()).isEqualTo(400);
        assertThat(pageError(skipped)).isEqualTo("invalid_request");
        assertThat(skipped.getHeader("Location")).isNull();
        assertThat(consented.getHeader("Location")).isNull();
        assertThat(consented.asString()).contains("name=\"password\"");
        assertThat(browser.cookies).doesNotContainKey("__Host-lk_session");
    }

    @Test
    void optionalPolicyWhenUserHasTotpThenSecondStepAndCodeAcceptedOnceInItsStep() {
        byte[] secret = enrolled("frank-sub");
        TestBrowser browser = new TestBrowser();
        Response second = browser.login(browser.authorize(firstParty()), "frank", "frank-password");
        assertThat(second.asString()).contains("action=\"/login/second-factor\"").contains("id=\"code\"");
        assertThat(browser.cookies).doesNotContainKey("__Host-lk_session");

        String code = codeAt(secret, Instant.now());
        Response done = submit(browser, second, "/login/second-factor", Map.of("code", code));
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(grantOf(done)).contains("\"amr\":[\"pwd\",\"otp\",\"mfa\"]");

        // RFC 6238 §5.2: the same code again, in another browser, within its time step.
        TestBrowser other = new TestBrowser();
        Response again = other.login(other.authorize(firstParty()), "frank", "frank-password");
        Response replayed = submit(other, again, "/login/second-factor", Map.of("code", code));
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.asString()).contains("data-problem=\"invalid\"");
        assertThat(replayed.getHeader("Location")).isNull();
    }

    @Test
    void wrongCodesWhenRepeatedThenThrottledWithRetryAfter() {
        enrolled("grace-sub");
        TestBrowser browser = new TestBrowser();
        Response second = browser.login(browser.authorize(firstParty()), "grace", "grace-password");
        Response last = null;
        for (int i = 0; i < 12 && (last == null || last.statusCode() != 429); i++) {
            last = submit(browser, second, "/login/second-factor", Map.of("code", String.format("%06d", i)));
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(last.getHeader("Retry-After"))).isPositive();
        assertThat(last.asString()).contains("data-problem=\"throttled\"");
    }

    @Test
    void recoveryCodeWhenUsedTwiceThenSecondRefused() {
        TestBrowser browser = new TestBrowser();
        Response enrolment = browser.login(browser.authorize(payroll()), "heidi", "heidi-password");
        Response codesPage = submit(browser, enrolment, "/login/totp-enrolment",
                Map.of("code", codeAt(secretShownOn(enrolment), Instant.now())));
        Matcher m = Pattern.compile("<li><code>([0-9A-Z-]{19})</code></li>").matcher(codesPage.asString());
        assertThat(m.find()).isTrue();
        String recovery = m.group(1);

        TestBrowser lostPhone = new TestBrowser();
        Response second = lostPhone.login(lostPhone.authorize(payroll()), "heidi", "heidi-password");
        Response first = submit(lostPhone, second, "/login/second-factor", Map.of("code", recovery.toLowerCase()));
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(redirectParams(first)).containsKey("code");

        TestBrowser thief = new TestBrowser();
        Response again = thief.login(thief.authorize(payroll()), "heidi", "heidi-password");
        assertThat(submit(thief, again, "/login/second-factor", Map.of("code", recovery)).statusCode()).isEqualTo(401);
    }

    @Test
    void clientWithPolicyOffThenPasswordSufficesButItsSessionStepsUpElsewhere() {
        byte[] secret = enrolled("frank-sub");
        TestBrowser browser = new TestBrowser();
        Response kioskDone = browser.login(browser.authorize(kiosk()), "frank", "frank-password");
        assertThat(kioskDone.statusCode()).isEqualTo(303);
        assertThat(grantOf(kioskDone)).contains("\"amr\":[\"pwd\"]");

        // The session the kiosk opened is single-factor; a client with the optional policy asks frank for his TOTP
        // without asking for the password again (step-up), and a silent request is told to sign in.
        Response silent = browser.authorize(with(firstParty(), "prompt", "none"));
        assertThat(redirectParams(silent)).containsEntry("error", "login_required");
        Response stepUp = browser.authorize(firstParty());
        assertThat(stepUp.statusCode()).isEqualTo(200);
        assertThat(stepUp.asString()).contains("action=\"/login/second-factor\"").doesNotContain("name=\"password\"");
        Response done = submit(browser, stepUp, "/login/second-factor", Map.of("code", codeAt(secret, Instant.now())));
        assertThat(grantOf(done)).contains("\"amr\":[\"pwd\",\"otp\",\"mfa\"]");
    }

    @Test
    void acrValuesMultiFactorWhenSessionIsSingleFactorThenStepUpAndSilentRequestLoginRequired() {
        TestBrowser browser = new TestBrowser();
        Response single = browser.login(browser.authorize(firstParty()), "grace", "grace-password");
        assertThat(grantOf(single)).contains("\"amr\":[\"pwd\"]");

        Response silent = browser.authorize(with(with(firstParty(), "prompt", "none"), "acr_values", MULTI_FACTOR));
        assertThat(redirectParams(silent)).containsEntry("error", "login_required");

        // acr_values naming both classes leaves the choice to the policy: the single-factor session suffices.
        Response either = browser.authorize(with(firstParty(), "acr_values", Acr.SINGLE_FACTOR + " " + MULTI_FACTOR));
        assertThat(either.statusCode()).isEqualTo(302);
        assertThat(redirectParams(either)).containsKey("code");

        Response stepUp = browser.authorize(with(firstParty(), "acr_values", MULTI_FACTOR));
        assertThat(stepUp.statusCode()).isEqualTo(200);
        assertThat(stepUp.asString()).contains("action=\"/login/totp-enrolment\"").doesNotContain("name=\"password\"");
        Response codes = submit(browser, stepUp, "/login/totp-enrolment",
                Map.of("code", codeAt(secretShownOn(stepUp), Instant.now())));
        Response done = submit(browser, codes, "/login/continue", Map.of());
        assertThat(grantOf(done)).contains("\"amr\":[\"pwd\",\"otp\",\"mfa\"]");
    }

    @Test
    void secondFactorStepWhenPostedWithoutPasswordFirstThenRefused() {
        TestBrowser browser = new TestBrowser();
        Response login = browser.authorize(firstParty());
        // The attack: a guessed or stolen code presented without the password step before it.
        Response refused = submit(browser, login, "/login/second-factor", Map.of("code", "123456"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(pageError(refused)).isEqualTo("invalid_request");
    }

    @Test
    void discoveryListsTheAcrValues() {
        Response discovery = io.restassured.RestAssured.get("/.well-known/openid-configuration");
        assertThat(discovery.jsonPath().getList("acr_values_supported")).containsExactly(Acr.SINGLE_FACTOR, MULTI_FACTOR);
        assertThat(discovery.jsonPath().getList("claims_supported")).contains("acr", "amr");
    }

    @Test
    void accountSecurityPageWhenSignedOutThenLoginRequiredAndFormsNeedTheSessionsCsrfToken() {
        TestBrowser browser = new TestBrowser();
        Response signedOut = browser.request().get("/account/security");
        assertThat(signedOut.statusCode()).isEqualTo(400);
        assertThat(pageError(signedOut)).isEqualTo("login_required");

        browser.login(browser.authorize(firstParty()), "grace", "grace-password");
        Response page = browser.request().get("/account/security");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.asString()).contains("id=\"begin-totp\"");
        String csrf = hidden(page.asString()).get("csrf_token");

        Response forged = browser.post("/account/totp", Map.of("csrf_token", "not-" + csrf));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(pageError(forged)).isEqualTo("invalid_request");
        Response begun = browser.post("/account/totp", Map.of("csrf_token", csrf));
        assertThat(begun.statusCode()).isEqualTo(200);
        assertThat(begun.asString()).contains("action=\"/account/totp/confirm\"");
    }

    @Test
    void accountRemoveTotpWhenNoCurrentCodeThenRefusedAndTheAuthenticatorStays() {
        byte[] secret = enrolled("heidi-sub");
        TestBrowser browser = new TestBrowser();
        Response second = browser.login(browser.authorize(firstParty()), "heidi", "heidi-password");
        submit(browser, second, "/login/second-factor", Map.of("code", codeAt(secret, Instant.now())));
        String csrf = hidden(browser.request().get("/account/security").asString()).get("csrf_token");
        SecondFactorDirectory directory = Arc.container().instance(SecondFactorDirectory.class).get();

        // The attack: someone at an unlocked, signed-in browser takes the second factor off the account.
        Response refused = browser.post("/account/totp/remove", Map.of("csrf_token", csrf, "code", "000000"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("data-problem=\"code-refused\"");
        assertThat(directory.findTotp("heidi-sub").await().atMost(WAIT)).isPresent();

        Response removed = browser.post("/account/totp/remove",
                Map.of("csrf_token", csrf, "code", codeAt(secret, Instant.now().plusSeconds(30))));
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(removed.getHeader("Location")).endsWith("/account/security?done=totp-removed");
        assertThat(directory.findTotp("heidi-sub").await().atMost(WAIT)).isEmpty();
    }
}
