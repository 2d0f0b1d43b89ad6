package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo SPA (oidc-client-ts) in headless Chromium, on its own origin, against the packaged services:
 * sign-in with login and consent, the callback, /userinfo across origins, silent renewal both ways,
 * and sign-out.
 */
class DemoSpaInBrowserTest {


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
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private void awaitText(String id, String text) {
        waiting().withMessage(() -> "#" + id + " never showed '" + text + "'; page: " + browser.getCurrentUrl() + "\n"
                        + browser.findElement(By.tagName("body")).getText())
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    }

    @Test
    void signInCallUserinfoRenewSilentlyAndSignOut() {
        browser.get(stack.spaOrigin() + "/");
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();

        // The provider's login page, then its consent page.
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
        assertThat(browser.getCurrentUrl()).startsWith(stack.issuer);
        browser.findElement(By.name("username")).sendKeys(Stack.USERNAME);
        browser.findElement(By.name("password")).sendKeys(Stack.PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit], form input[type=submit]")).click();
        waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("[value=approve]"))).click();

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
}
