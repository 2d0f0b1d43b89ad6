package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.latchkey.testing.TestPostgres;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A realm exported by a real Keycloak 26.5.6 (shared-model's test resource keycloak/, with its README), imported
 * the way {@code ./latchkey import keycloak} imports it; then a user of it signs in in headless Chromium with the
 * password Keycloak had (PBKDF2-SHA256), Nimbus redeems the code, and the ID token's subject is the user's
 * Keycloak id. The stored hash is Argon2id afterwards.
 */
class KeycloakMigrationInBrowserTest {

    /** acme-spa's redirect URI in the export; nothing needs to listen there, the code is read from the URL. */
    private static final String REDIRECT = "http://localhost:5173/callback";
    private static final String PAT_MORGAN = "f3003716-3d8c-461e-97a9-4e7692e7d5e4";

    private static Stack stack;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.start(1);
        Path export = Files.createTempFile("acme-realm-export", ".json");
        try (InputStream in = KeycloakMigrationInBrowserTest.class.getClassLoader().getResourceAsStream("keycloak/acme-realm-export.json")) {
            Files.copy(in, export, StandardCopyOption.REPLACE_EXISTING);
        }
        stack.importRealm(export);
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        Chromium.stop(browser, stack);
    }

    @Test
    void keycloakUserSignsInInTheBrowserWithTheOldPasswordAndKeepsTheSubject() throws Exception {
        assertThat(storedHash()).startsWith("$pbkdf2-sha256$");
        OidcClient client = new OidcClient(stack.issuer, "acme-spa", REDIRECT);
        OidcClient.Attempt attempt = client.newAttempt();

        browser.get(attempt.request().toURI().toString());
        WebDriverWait waiting = new WebDriverWait(browser, Duration.ofSeconds(20));
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.name("password")));
        browser.findElement(By.name("username")).sendKeys("pat.morgan");
        browser.findElement(By.name("password")).sendKeys("pat-Sunrise-2024!");
        browser.findElement(By.cssSelector("form button[type=submit], form input[type=submit]")).click();
        // acme-spa had no consent screen in Keycloak: straight back to the app with the code.
        waiting.withMessage(() -> "never left " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText())
                .until(ExpectedConditions.urlContains("code="));

        AuthenticationSuccessResponse success = client.parseCallback(URI.create(browser.getCurrentUrl()));
        TokenResponse response = client.exchange(client.provider.getTokenEndpointURI(), success.getAuthorizationCode(), attempt.verifier());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
        IDTokenClaimsSet id = new IDTokenValidator(new Issuer(stack.issuer), client.clientId, JWSAlgorithm.RS256,
                client.provider.getJWKSetURI().toURL())
                .validate(((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken(), attempt.nonce());
        assertThat(id.getSubject().getValue()).as("the sub relying parties knew from Keycloak").isEqualTo(PAT_MORGAN);
        assertThat(storedHash()).as("rehashed at this first sign-in").startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    private static String storedHash() {
        return TestPostgres.get().queryOne("SELECT secret FROM credentials WHERE type = 'password' AND user_id = '" + PAT_MORGAN + "'");
    }
}
