package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.latchkey.testing.TestPostgres;
import io.latchkey.testing.TestRedis;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Issue 14's login options over the whole stack, in Chromium: passkeys made and used through Chromium's virtual
 * authenticator (a platform authenticator with user verification, as a laptop's), TOTP enrolled from the page's
 * secret as a person types it into an authenticator app, step-up with {@code acr_values}, and the attacks on them
 * (skipping the second step, replaying a code, a cloned authenticator). The relying party is Nimbus; every answer is
 * read from the ID token it validates.
 */
class LoginOptionsInBrowserTest {

    private static final String MULTI_FACTOR = "urn:latchkey:acr:multi-factor";
    private static final String SINGLE_FACTOR = "urn:latchkey:acr:single-factor";
    private static final String PASSWORD = "Looking-Glass-1871";
    /** A fixed AES-256 key for the services' TOTP secrets: a test key, never a real one. */
    private static final String TOTP_KEY = Base64.getEncoder()
            .encodeToString("latchkey-system-tests-totp-key!!".getBytes(StandardCharsets.US_ASCII));
    private static final String SESSION_COOKIE = "__Host-lk_session";

    /** One user per test, so that each test's enrolments are its own. */
    private static final Map<String, String> USERS = Map.of(
            "carol", "6f1c2a40-1111-4c55-9a5e-2f1b8f0c3a01",
            "dave", "6f1c2a40-2222-4c55-9a5e-2f1b8f0c3a02",
            "erin", "6f1c2a40-3333-4c55-9a5e-2f1b8f0c3a03",
            "frank", "6f1c2a40-4444-4c55-9a5e-2f1b8f0c3a04",
            "grace", "6f1c2a40-5555-4c55-9a5e-2f1b8f0c3a05",
            "heidi", "6f1c2a40-6666-4c55-9a5e-2f1b8f0c3a06");

    private static Stack stack;
    private static ChromeDriver browser;
    private static String redirect;
    private static OidcClient nativeClient;

    private VirtualAuthenticator authenticator;
    private final List<String> pageScripts = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String users = USERS.entrySet().stream().map(u -> """
                  - id: %s
                    username: %s
                    password: %s
                    claims:
                      name: %s
                """.formatted(u.getValue(), u.getKey(), PASSWORD, u.getKey())).collect(Collectors.joining());
        stack = Stack.start(1, Map.of("LATCHKEY_TOTP_ENCRYPTION_KEY", TOTP_KEY), users);
        browser = (ChromeDriver) Chromium.start();
        // demo-native: a loopback redirect where nothing listens; the code is read from the URL the browser was sent to.
        redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
        nativeClient = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
    }

    @AfterAll
    static void stop() {
        Chromium.stop(browser, stack);
    }

    @AfterEach
    void forgetBrowserState() {
        if (authenticator != null) {
            browser.removeVirtualAuthenticator(authenticator);
            authenticator = null;
        }
        for (String identifier : pageScripts) {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", identifier));
        }
        pageScripts.clear();
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    @Test
    void passkeyOfferedAfterPasswordThenSignsInWithoutUsernameAsMultiFactor() throws Exception {
        attachAuthenticator();
        OidcClient.Attempt first = nativeClient.newAttempt();
        open(first.request().toURI().toString());
        signInWithPassword("carol", true);
        createPasskeyOnOffer("Carol's laptop");
        IDTokenClaimsSet created = redeem(nativeClient, first, finish());
        // Making the passkey (user verified) during the sign-in counts as holding it: password and key, two factors.
        assertThat(amr(created)).containsExactly("pwd", "hwk", "user", "mfa");
        assertThat(created.getACR().getValue()).isEqualTo(MULTI_FACTOR);
        assertThat(authenticator.getCredentials()).singleElement().satisfies(c -> {
            assertThat(c.isResidentCredential()).isTrue();
            assertThat(c.getRpId()).isEqualTo("localhost");
        });
        assertThat(TestPostgres.get().queryOne("SELECT label FROM credentials WHERE type = 'webauthn' AND user_id = '"
                + USERS.get("carol") + "'")).isEqualTo("Carol's laptop");

        signOut();
        // Chromium's virtual authenticator answers a conditional request by itself, which would race the button.
        withoutConditionalMediation();
        OidcClient.Attempt second = nativeClient.newAttempt();
        open(second.request().toURI().toString());
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("passkey-sign-in"))).click();
        IDTokenClaimsSet withPasskey = redeem(nativeClient, second, finish());
        assertThat(withPasskey.getSubject().getValue()).isEqualTo(USERS.get("carol"));
        assertThat(amr(withPasskey)).containsExactly("hwk", "user", "mfa");
        assertThat(withPasskey.getACR().getValue()).isEqualTo(MULTI_FACTOR);
    }


    /**
     * The login page asks for a passkey in the username field's autofill (conditional mediation, WebAuthn §5.1.4.1).
     * Headless Chromium shows no account chooser: its virtual authenticator answers a conditional request itself
     * with the discoverable credential it holds. What this proves: the page issues exactly one request, a
     * conditional one (recorded by a pass-through wrapper, no button pressed), and its assertion signs the person in.
     */
    @Test
    void passkeyFromUsernameAutofillSignsInThroughConditionalMediation() throws Exception {
        attachAuthenticator();
        OidcClient.Attempt first = nativeClient.newAttempt();
        open(first.request().toURI().toString());
        assertThat(browser.findElement(By.id("username")).getAttribute("autocomplete")).isEqualTo("username webauthn");
        signInWithPassword("dave", true);
        createPasskeyOnOffer("Dave's laptop");
        redeem(nativeClient, first, finish());
        signOut();

        beforeEachPage("""
                (function () {
                  var get = navigator.credentials.get.bind(navigator.credentials);
                  navigator.credentials.get = function (options) {
                    localStorage.setItem('mediations', (localStorage.getItem('mediations') || '')
                      + ((options && options.mediation) || 'modal') + ' ');
                    return get(options);
                  };
                }());""");
        OidcClient.Attempt second = nativeClient.newAttempt();
        open(second.request().toURI().toString());
        // A person focuses the field to see the autofill (it has autofocus too). Chromium's virtual authenticator
        // answers as soon as the request is made, so the page may have left before the click.
        try {
            browser.findElement(By.id("username")).click();
        } catch (WebDriverException alreadyLeft) {
            // NoSuchElement or a stale page: the assertion went out already.
        }
        IDTokenClaimsSet id = redeem(nativeClient, second, finish());
        assertThat(id.getSubject().getValue()).isEqualTo(USERS.get("dave"));
        assertThat(amr(id)).containsExactly("hwk", "user", "mfa");
        browser.get(stack.issuer + "/.well-known/openid-configuration");
        assertThat(browser.executeScript("return localStorage.getItem('mediations');")).isEqualTo("conditional ");
    }

    @Test
    void stepUpWithAcrValuesEnrolsTotpWithoutAskingThePasswordAgain() throws Exception {
        OidcClient.Attempt first = nativeClient.newAttempt();
        open(first.request().toURI().toString());
        signInWithPassword("erin", false);
        IDTokenClaimsSet single = redeem(nativeClient, first, finish());
        assertThat(amr(single)).containsExactly("pwd");
        assertThat(single.getACR().getValue()).isEqualTo(SINGLE_FACTOR);

        // Silently, a single-factor session cannot answer a request for multi-factor.
        OidcClient.Attempt silent = nativeClient.newAttempt();
        open(silent.request().toURI() + "&prompt=none&acr_values=" + enc(MULTI_FACTOR));
        waiting().until(d -> d.getCurrentUrl().startsWith(redirect));
        assertThat(query(browser.getCurrentUrl())).containsEntry("error", "login_required").doesNotContainKey("code");

        OidcClient.Attempt stepUp = nativeClient.newAttempt();
        open(stepUp.request().toURI() + "&acr_values=" + enc(MULTI_FACTOR));
        Enrolled totp = enrolTotpOnPage();
        assertThat(totp.recoveryCodes()).hasSizeGreaterThanOrEqualTo(8).doesNotHaveDuplicates();
        IDTokenClaimsSet multi = redeem(nativeClient, stepUp, finish());
        assertThat(multi.getSubject().getValue()).isEqualTo(USERS.get("erin"));
        assertThat(amr(multi)).containsExactly("pwd", "otp", "mfa");
        assertThat(multi.getACR().getValue()).isEqualTo(MULTI_FACTOR);
    }

    @Test
    void totpSignInAcceptsAFreshCodeOnceAndARecoveryCodeOnce() throws Exception {
        OidcClient.Attempt enrol = nativeClient.newAttempt();
        open(enrol.request().toURI() + "&acr_values=" + enc(MULTI_FACTOR));
        signInWithPassword("frank", false);
        Enrolled totp = enrolTotpOnPage();
        redeem(nativeClient, enrol, finish());
        signOut();

        // The realm's policy is optional: a user with TOTP is asked for a code after the password.
        OidcClient.Attempt withCode = nativeClient.newAttempt();
        open(withCode.request().toURI().toString());
        signInWithPassword("frank", false);
        String code = totp.nextCode();
        enterCode(code);
        IDTokenClaimsSet id = redeem(nativeClient, withCode, finish());
        assertThat(amr(id)).containsExactly("pwd", "otp", "mfa");
        assertThat(id.getACR().getValue()).isEqualTo(MULTI_FACTOR);
        signOut();

        // The same code again, still within the steps the server accepts: refused as a replay (RFC 6238 §5.2).
        OidcClient.Attempt replay = nativeClient.newAttempt();
        open(replay.request().toURI().toString());
        signInWithPassword("frank", false);
        enterCode(code);
        assertProblem("invalid");

        // A recovery code on the same page instead: accepted once.
        String recovery = totp.recoveryCodes().get(0);
        enterCode(recovery);
        IDTokenClaimsSet recovered = redeem(nativeClient, replay, finish());
        assertThat(amr(recovered)).containsExactly("pwd", "otp", "mfa");
        signOut();

        OidcClient.Attempt again = nativeClient.newAttempt();
        open(again.request().toURI().toString());
        signInWithPassword("frank", false);
        enterCode(recovery);
        assertProblem("invalid");
    }

    @Test
    void clientRequiringSecondFactorGetsNoCodeWhenTheStepIsSkipped() throws Exception {
        String spaRedirect = stack.spaOrigin() + "/callback.html";
        OidcClient client = new OidcClient(stack.issuer, "demo-spa-mfa", spaRedirect);
        OidcClient.Attempt attempt = client.newAttempt();
        open(attempt.request().toURI().toString());
        signInWithPassword("grace", false);
        // No second factor yet: the client requires one, so the person must enrol one.
        waiting().withMessage(this::page).until(ExpectedConditions.presenceOfElementLocated(By.id("secret-text")));
        assertThat(browser.findElements(By.id("required"))).hasSize(1);
        WebElement form = browser.findElement(By.id("confirm")).findElement(By.xpath("./ancestor::form"));
        String requestId = form.findElement(By.name("request_id")).getAttribute("value");
        String csrfToken = form.findElement(By.name("csrf_token")).getAttribute("value");
        String cookies = browser.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        assertThat(cookies).contains("__Host-lk_browser=");

        // Skipping the step: each later step's form posted straight away, from this browser, with its tokens.
        HttpResponse<String> continued = post("/login/continue", cookies,
                Map.of("request_id", requestId, "csrf_token", csrfToken, "decision", "later"));
        assertThat(continued.statusCode()).as(continued.body()).isEqualTo(400);
        assertThat(continued.headers().firstValue("Location")).isEmpty();
        assertThat(continued.body()).contains("The sign-in is not complete");
        HttpResponse<String> consented = post("/consent", cookies,
                Map.of("request_id", requestId, "csrf_token", csrfToken, "decision", "approve"));
        assertThat(consented.headers().firstValue("Location")).as("redirect after the forged consent").isEmpty();
        assertThat(consented.statusCode()).isEqualTo(200);
        assertThat(consented.body()).as("the login page again").contains("id=\"password\"").doesNotContain("code=");

        // The request and the tokens were good: finishing the enrolment on the page still open gets the code.
        Enrolled totp = enrolTotpOnPage();
        assertThat(totp.recoveryCodes()).isNotEmpty();
        waiting().withMessage(this::page).until(d -> d.getCurrentUrl().startsWith(spaRedirect));
        IDTokenClaimsSet id = redeem(client, attempt, URI.create(browser.getCurrentUrl()));
        assertThat(amr(id)).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void clonedAuthenticatorWithLowerSignCountIsRefused() throws Exception {
        attachAuthenticator();
        withoutConditionalMediation();
        OidcClient.Attempt first = nativeClient.newAttempt();
        open(first.request().toURI().toString());
        signInWithPassword("heidi", true);
        createPasskeyOnOffer("Heidi's key");
        redeem(nativeClient, first, finish());
        signOut();
        OidcClient.Attempt second = nativeClient.newAttempt();
        open(second.request().toURI().toString());
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("passkey-sign-in"))).click();
        redeem(nativeClient, second, finish());
        signOut();

        // The same private key in another authenticator whose counter is behind: a clone (WebAuthn §6.1.1).
        Credential original = authenticator.getCredentials().get(0);
        assertThat(original.getSignCount()).isPositive();
        authenticator.removeCredential(original.getId());
        authenticator.addCredential(Credential.createResidentCredential(original.getId(), original.getRpId(),
                original.getPrivateKey(), original.getUserHandle(), 0));
        OidcClient.Attempt cloned = nativeClient.newAttempt();
        open(cloned.request().toURI().toString());
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("passkey-sign-in"))).click();
        assertProblem("passkey");
        assertThat(browser.getCurrentUrl()).startsWith(stack.issuer).doesNotContain("code=");
        String failed = "SELECT count(*) FROM audit_events WHERE type = 'passkey.failed' AND subject = '" + USERS.get("heidi")
                + "' AND details ->> 'reason' = 'counter'";
        waiting().withMessage("no passkey.failed event with reason counter")
                .until(d -> "1".equals(TestPostgres.get().queryOne(failed)));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A TOTP authenticator enrolled from the page: its secret as typed from the page, the step used, the recovery codes. */
    private record Enrolled(byte[] secret, long[] lastStep, List<String> recoveryCodes) {

        /** The code of the next step no code was used in yet: now's, or the next one (accepted as one step of drift). */
        String nextCode() throws Exception {
            long step = Math.max(Instant.now().getEpochSecond() / 30, lastStep[0] + 1);
            lastStep[0] = step;
            return totpCode(secret, step);
        }
    }

    private Enrolled enrolTotpOnPage() throws Exception {
        waiting().withMessage(() -> "no TOTP enrolment page: " + page())
                .until(ExpectedConditions.presenceOfElementLocated(By.id("secret-text")));
        assertThat(browser.findElements(By.id("password"))).as("the password is not asked again").isEmpty();
        assertThat(browser.findElements(By.cssSelector(".qr-frame svg"))).hasSize(1);
        // As a person who cannot scan: open "enter the key by hand" and read it.
        browser.findElement(By.cssSelector("details.manual summary")).click();
        String shown = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("secret-text"))).getText();
        assertThat(shown).matches("[A-Z2-7]{4}( [A-Z2-7]{1,4})+");
        byte[] secret = base32(shown);
        long step = Instant.now().getEpochSecond() / 30;
        browser.findElement(By.id("code")).sendKeys(totpCode(secret, step));
        browser.findElement(By.id("confirm")).click();
        waiting().withMessage(() -> "no recovery codes: " + page())
                .until(ExpectedConditions.presenceOfElementLocated(By.id("recovery-codes")));
        List<String> codes = browser.findElements(By.cssSelector("#recovery-codes li code")).stream()
                .map(WebElement::getText).toList();
        browser.findElement(By.id("continue")).click();
        return new Enrolled(secret, new long[] {step}, codes);
    }

    private void enterCode(String code) {
        WebElement field = waiting().withMessage(() -> "no second-factor page: " + page())
                .until(ExpectedConditions.presenceOfElementLocated(By.id("code")));
        field.clear();
        field.sendKeys(code);
        browser.findElement(By.id("verify")).click();
    }

    private void assertProblem(String problem) {
        WebElement shown = waiting().withMessage(() -> "no problem shown: " + page())
                .until(ExpectedConditions.presenceOfElementLocated(By.id("problem")));
        assertThat(shown.getAttribute("data-problem")).isEqualTo(problem);
        assertThat(browser.getCurrentUrl()).startsWith(stack.issuer);
    }

    private static String totpCode(byte[] secret, long step) throws Exception {
        TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator();
        return generator.generateOneTimePasswordString(new SecretKeySpec(secret, generator.getAlgorithm()),
                Instant.ofEpochSecond(step * 30));
    }

    /** RFC 4648 §6 Base32, as the page shows it (groups of four, no padding). */
    private static byte[] base32(String shown) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : shown.replace(" ", "").toUpperCase(Locale.ROOT).toCharArray()) {
            int value = alphabet.indexOf(c);
            assertThat(value).as("Base32 letter %s", c).isNotNegative();
            buffer = buffer << 5 | value;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out.write(buffer >> bits & 0xff);
            }
        }
        return out.toByteArray();
    }

    private HttpResponse<String> post(String path, String cookies, Map<String, String> fields) throws Exception {
        String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build().send(
                HttpRequest.newBuilder(URI.create(stack.issuer + path)).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> query(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Runs {@code script} in every page before the page's own scripts (CDP; not subject to the page's CSP). */
    private void beforeEachPage(String script) {
        Map<String, Object> added = browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
        pageScripts.add(String.valueOf(added.get("identifier")));
    }

    /** As a browser without passkeys in autofill: the page then asks only when the button is pressed. */
    private void withoutConditionalMediation() {
        beforeEachPage("PublicKeyCredential.isConditionalMediationAvailable = function () { return Promise.resolve(false); };");
    }


    private void attachAuthenticator() {
        authenticator = browser.addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    private String page() {
        return browser.getCurrentUrl() + "\n" + browser.findElement(By.tagName("body")).getText();
    }

    /** Opens a URL that may end at the loopback redirect, where nothing listens (the browser reports it refused). */
    private static void open(String url) {
        try {
            browser.get(url);
        } catch (WebDriverException e) {
            if (!String.valueOf(e.getMessage()).contains("ERR_CONNECTION_REFUSED")) {
                throw e;
            }
        }
    }

    /**
     * Types a password on the login page. With {@code passkeyCapable}, first waits until the page's script has
     * reported that this browser can make a passkey (the hidden passkey_capable field), as it does before a person
     * could have typed.
     */
    private void signInWithPassword(String username, boolean passkeyCapable) {
        waiting().withMessage(this::page).until(ExpectedConditions.presenceOfElementLocated(By.id("password")));
        if (passkeyCapable) {
            waiting().withMessage(() -> "the script never reported a passkey-capable browser")
                    .until(ExpectedConditions.attributeToBe(By.id("passkey-capable"), "value", "true"));
        }
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("sign-in")).click();
    }

    private void createPasskeyOnOffer(String name) {
        WebElement field = waiting().withMessage(() -> "no passkey offer: " + page())
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-name")));
        field.sendKeys(name);
        browser.findElement(By.id("create-passkey")).click();
    }

    /** Waits for the redirect back to the client, approving the consent page on the way if it appears. */
    private URI finish() {
        waiting().withMessage(() -> "never back at the client: " + page()).until(d -> d.getCurrentUrl().startsWith(redirect)
                || !d.findElements(By.cssSelector("[value=approve]")).isEmpty());
        if (!browser.getCurrentUrl().startsWith(redirect)) {
            browser.findElement(By.cssSelector("[value=approve]")).click();
            waiting().withMessage(() -> "never back at the client after consent: " + page())
                    .until(d -> d.getCurrentUrl().startsWith(redirect));
        }
        return URI.create(browser.getCurrentUrl());
    }

    private IDTokenClaimsSet redeem(OidcClient client, OidcClient.Attempt attempt, URI callback) throws Exception {
        TokenResponse response = client.exchange(client.provider.getTokenEndpointURI(),
                client.parseCallback(callback).getAuthorizationCode(), attempt.verifier());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
        return new IDTokenValidator(new Issuer(stack.issuer), client.clientId, JWSAlgorithm.RS256,
                client.provider.getJWKSetURI().toURL())
                .validate(((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken(), attempt.nonce());
    }

    private static List<String> amr(IDTokenClaimsSet id) {
        return id.getStringListClaim("amr");
    }

    /** Ends the SSO session in this browser, as signing out does; the device and passkey-offer cookies stay. */
    private void signOut() {
        browser.executeCdpCommand("Network.deleteCookies", Map.of("name", SESSION_COOKIE, "url", stack.issuer + "/"));
    }
}
