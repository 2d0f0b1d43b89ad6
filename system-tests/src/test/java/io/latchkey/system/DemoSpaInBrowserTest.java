package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo SPA (oidc-client-ts) in headless Chromium, on its own origin, against the packaged services:
 * sign-in with login and consent, the callback, /userinfo across origins, silent renewal both ways,
 * sign-out, the sign-in's amr and acr, DPoP-bound tokens that a thief cannot use, and the passkey button's step-up.
 *
 * <p>The tests share one stack, so alice's account carries over: the step-up test gives her a passkey (after which
 * her password sign-ins are offered none and the consent is remembered), so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoSpaInBrowserTest {

    private static final String MULTI_FACTOR = "urn:latchkey:acr:multi-factor";

    private static Stack stack;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start(1);
        stack.startSpa();
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        Chromium.stop(browser, stack);
    }

    /** Each test starts signed out, at the provider (its cookies) and in the SPA (its session storage). */
    @BeforeEach
    void signedOut() {
        ((HasCdp) browser).executeCdpCommand("Network.clearBrowserCookies", Map.of());
        browser.get(stack.spaOrigin() + "/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear(); localStorage.clear();");
        browser.get(stack.spaOrigin() + "/");
        awaitText("status", "Signed out");
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private String page() {
        String passkeyProblem = browser.findElements(By.id("passkey-problem")).stream()
                .map(e -> "\npasskey problem: " + e.getAttribute("textContent")).findFirst().orElse("");
        return "page: " + browser.getCurrentUrl() + "\n" + browser.findElement(By.tagName("body")).getText() + passkeyProblem;
    }

    private void awaitText(String id, String text) {
        waiting().withMessage(() -> "#" + id + " never showed '" + text + "'; " + page())
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    }

    @Test
    @Order(1)
    void signInCallUserinfoRenewSilentlyAndSignOut() {
        browser.get(stack.spaOrigin() + "/");
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();

        // The provider's login page, then its consent page.
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
        assertThat(browser.getCurrentUrl()).startsWith(stack.issuer);
        enterPassword();
        approveConsentIfAsked();

        // Back in the SPA through its callback.
        awaitText("status", "Signed in as Alice Liddell");
        assertThat(browser.getCurrentUrl()).startsWith(stack.spaOrigin());
        assertThat(browser.findElement(By.id("claims")).getText()).contains("8d1f6c1e-0b9a-4c55-9a5e-2f1b8f0c3a11");

        browser.findElement(By.id("userinfo")).click();
        awaitText("userinfo-result", "alice@example.com");

        browser.findElement(By.id("renew-refresh")).click();
        awaitText("renewed", "refresh token");

        browser.findElement(By.id("renew-session")).click();
        awaitText("renewed", "SSO session");
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();

        browser.findElement(By.id("sign-out")).click();
        waiting().until(ExpectedConditions.urlToBe(stack.spaOrigin() + "/"));
        awaitText("status", "Signed out");

        // The SSO session is gone: signing in again asks for the password.
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
    }

    @Test
    @Order(2)
    void signInWithPasswordShowsPwdAmrAndSingleFactorAcr() {
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
        // The plain button is unchanged: it asks for no class of sign-in.
        assertThat(browser.getCurrentUrl()).startsWith(stack.issuer + "/authorize?").doesNotContain("acr_values");
        enterPassword();
        approveConsentIfAsked();

        awaitText("status", "Signed in as Alice Liddell");
        assertThat(browser.findElement(By.id("amr")).getText()).isEqualTo("pwd");
        assertThat(browser.findElement(By.id("acr")).getText()).isEqualTo("urn:latchkey:acr:single-factor");
        assertThat(browser.findElement(By.id("security-settings")).getAttribute("href"))
                .isEqualTo(stack.issuer + "/account/security");
    }

    /**
     * The SPA signs in with DPoP (RFC 9449) through oidc-client-ts: its tokens are bound to a key the browser holds and
     * cannot export. What a script injected into the page (XSS) or an extension can read, the tokens in session
     * storage, is refused without that key: at /userinfo as Bearer, as DPoP without a proof or with the thief's own
     * proof, in a form body; the refresh token at /token without a proof or with the thief's key.
     */
    @Test
    @Order(3)
    void dpopSignInThenTokensStolenFromThePageAreUselessWithoutTheBrowsersKey() throws Exception {
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
        // The code is bound to the browser's key from the start (RFC 9449 §10).
        assertThat(browser.getCurrentUrl()).startsWith(stack.issuer + "/authorize?").contains("dpop_jkt=");
        enterPassword();
        approveConsentIfAsked();

        // The name comes from /userinfo, which the SPA called with a DPoP proof right after the code exchange.
        awaitText("status", "Signed in as Alice Liddell");
        awaitText("key-match", "yes");
        assertThat(browser.findElement(By.id("token-type")).getText()).isEqualTo("DPoP");
        String jkt = browser.findElement(By.id("cnf-jkt")).getText();
        assertThat(jkt).matches("[A-Za-z0-9_-]{43}").isEqualTo(browser.findElement(By.id("dpop-key")).getText());

        // The SPA's own calls with its key work: /userinfo, and a refresh whose new access token is bound to the same key.
        browser.findElement(By.id("userinfo")).click();
        awaitText("userinfo-result", "alice@example.com");
        browser.findElement(By.id("renew-refresh")).click();
        awaitText("renewed", "refresh token");
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
        assertThat(browser.findElement(By.id("cnf-jkt")).getText()).isEqualTo(jkt);

        // The thief's loot: what any script in the page can read.
        Map<String, Object> stolen = JSONObjectUtils.parse((String) ((JavascriptExecutor) browser).executeScript(
                "return sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.startsWith('oidc.user:')));"));
        String accessToken = (String) stolen.get("access_token");
        String refreshToken = (String) stolen.get("refresh_token");
        assertThat(stolen.get("token_type")).isEqualTo("DPoP");
        assertThat(refreshToken).isNotBlank();
        assertThat(JSONObjectUtils.getJSONObject(SignedJWT.parse(accessToken).getPayload().toJSONObject(), "cnf"))
                .containsEntry("jkt", jkt);
        // ...but not the private key: oidc-client-ts makes it non-extractable, so even a script in the page cannot take it away.
        Object export = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const open = indexedDB.open('oidc');
                open.onsuccess = () => {
                  const get = open.result.transaction('dpop').objectStore('dpop').get('%s');
                  get.onsuccess = () => crypto.subtle.exportKey('jwk', get.result.keys.privateKey)
                      .then(() => done('exported'), e => done('refused: ' + e.name));
                  get.onerror = () => done('no key');
                };
                open.onerror = () => done('no database');
                """.formatted(Stack.SPA_CLIENT));
        assertThat(export).isEqualTo("refused: InvalidAccessError");

        Map<String, Object> discovery = Wire.get(stack.issuer + "/.well-known/openid-configuration").json();
        String userinfo = (String) discovery.get("userinfo_endpoint");
        String token = (String) discovery.get("token_endpoint");
        DefaultDPoPProofFactory thief = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);

        // The stolen access token at /userinfo: as a bearer token (header or form body), as DPoP without a proof, and
        // with a proof the thief signed with a key of their own for this very request (right URL, method and ath).
        assertRefused(Wire.get(userinfo, "Authorization", "Bearer " + accessToken));
        assertRefused(Wire.postForm(userinfo, Map.of("access_token", accessToken)));
        assertRefused(Wire.get(userinfo, "Authorization", "DPoP " + accessToken));
        assertRefused(Wire.get(userinfo, "Authorization", "DPoP " + accessToken,
                "DPoP", thief.createDPoPJWT("GET", URI.create(userinfo), new DPoPAccessToken(accessToken)).serialize()));

        // The stolen refresh token at /token: without a proof, and with the thief's key (answering the server's nonce).
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", Stack.SPA_CLIENT,
                "refresh_token", refreshToken);
        Wire.Answer bare = Wire.postForm(token, refresh);
        assertThat(bare.status()).as("%s", bare).isEqualTo(400);
        assertThat(bare.json()).doesNotContainKey("access_token");
        Wire.Answer withThiefsKey = Wire.postForm(token, refresh, "DPoP", thief.createDPoPJWT("POST", URI.create(token)).serialize());
        if ("use_dpop_nonce".equals(withThiefsKey.error())) {
            String nonce = withThiefsKey.header("DPoP-Nonce").orElseThrow();
            withThiefsKey = Wire.postForm(token, refresh, "DPoP",
                    thief.createDPoPJWT("POST", URI.create(token), new Nonce(nonce)).serialize());
        }
        assertThat(withThiefsKey.status()).as("%s", withThiefsKey).isEqualTo(400);
        assertThat(withThiefsKey.error()).isIn("invalid_grant", "invalid_dpop_proof");
        assertThat(withThiefsKey.json()).doesNotContainKey("access_token");

        // The owner, with the key, is still signed in and can still call /userinfo.
        browser.findElement(By.id("userinfo")).click();
        awaitText("userinfo-result", "alice@example.com");
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
    }

    /** 401 with a challenge (RFC 6750 §3, RFC 9449 §7.1), and no claims. */
    private static void assertRefused(Wire.Answer answer) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).as("%s", answer).isPresent();
        assertThat(answer.body()).doesNotContain("alice");
    }

    @Test
    @Order(4)
    void passkeyButtonAsksForMultiFactorThenAPasskeyMadeOnTheWaySignsInAlone() {
        VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(
                new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
                        .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
        try {
            waiting().until(ExpectedConditions.elementToBeClickable(By.id("sign-in-passkey"))).click();

            // The login page answers the SPA's authorization request itself, so its address is that request.
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
            assertThat(browser.getCurrentUrl()).startsWith(stack.issuer + "/authorize?")
                    .contains("acr_values=urn%3Alatchkey%3Aacr%3Amulti-factor").contains("prompt=login");

            // alice has no second factor: after her password she must add one (here a passkey; the stack sets no
            // TOTP key), and the password alone opens nothing.
            enterPassword();
            waiting().withMessage(this::page).until(ExpectedConditions.elementToBeClickable(By.id("create-passkey"))).click();
            approveConsentIfAsked();
            awaitText("status", "Signed in as Alice Liddell");
            assertThat(browser.findElement(By.id("acr")).getText()).isEqualTo(MULTI_FACTOR);
            assertThat(browser.findElement(By.id("amr")).getText()).isEqualTo("pwd hwk user mfa");
            assertThat(authenticator.getCredentials()).hasSize(1);

            // Signed out, the same button now signs her in with the passkey alone: verified, so multi-factor.
            signedOut();
            waiting().until(ExpectedConditions.elementToBeClickable(By.id("sign-in-passkey"))).click();
            // The login page's conditional request (passkeys in the username field's autofill) is answered by the
            // virtual authenticator at once, with her one passkey: no password, no click.
            awaitText("status", "Signed in as Alice Liddell");
            assertThat(browser.findElement(By.id("acr")).getText()).isEqualTo(MULTI_FACTOR);
            assertThat(browser.findElement(By.id("amr")).getText()).isEqualTo("hwk user mfa");
            assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
        } finally {
            ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(authenticator);
        }
    }

    private void enterPassword() {
        browser.findElement(By.name("username")).sendKeys(Stack.USERNAME);
        browser.findElement(By.name("password")).sendKeys(Stack.PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit], form input[type=submit]")).click();
    }

    /** Consent is remembered, so only the first sign-in of the stack's life sees the consent page. */
    private void approveConsentIfAsked() {
        waiting().withMessage(this::page).until(ExpectedConditions.or(
                ExpectedConditions.urlMatches("^" + stack.spaOrigin() + "/"),
                ExpectedConditions.elementToBeClickable(By.cssSelector("[value=approve]"))));
        if (browser.getCurrentUrl().startsWith(stack.issuer)) {
            browser.findElement(By.cssSelector("[value=approve]")).click();
        }
    }
}
