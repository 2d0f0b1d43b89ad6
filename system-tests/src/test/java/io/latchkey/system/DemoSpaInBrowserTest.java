package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

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
 * sign-out, the sign-in's amr and acr, and the passkey button's step-up.
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

    @Test
    @Order(3)
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
