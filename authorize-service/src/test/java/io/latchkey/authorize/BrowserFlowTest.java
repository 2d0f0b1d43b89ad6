package io.latchkey.authorize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The flow in a real browser (Debian's chromium, headless, through chromedriver): the pages work without
 * JavaScript, the __Host- cookies are accepted on http://localhost, and the redirect carries code and iss.
 * The native test client's loopback redirect URI (any port, RFC 8252 §7.3) lands back on this service,
 * so the browser's final URL can be read.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class BrowserFlowTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private WebDriver driver;
    private Path profile;

    @BeforeEach
    void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser test needs Chromium: run 'apt-get install -y chromium chromium-driver' "
                    + "(expects /usr/bin/chromium and /usr/bin/chromedriver).");
        }
        LoginConsentFlowTest.forgetAllConsents();
        profile = Files.createTempDirectory("latchkey-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String callback() {
        return "http://127.0.0.1:" + RestAssured.port + "/callback";
    }

    private void openAuthorization() {
        Map<String, String> params = Map.of(
                "response_type", "code",
                "client_id", "native",
                "redirect_uri", callback(),
                "scope", "openid profile",
                "state", "browser-state",
                "nonce", "browser-nonce",
                "code_challenge", TestBrowser.CHALLENGE,
                "code_challenge_method", "S256");
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        driver.get("http://localhost:" + RestAssured.port + "/authorize?" + query);
    }

    private void signIn(String username, String password) {
        assertThat(driver.findElement(By.cssSelector("label[for=username]")).getText()).isEqualTo("Username");
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        submitWith(By.id("sign-in"));
    }

    /**
     * Clicks a form's button and waits until the page it was on is gone: a click returns before the
     * navigation ends, so an element looked up right after it may belong to the page being left.
     */
    private void submitWith(By button) {
        WebElement clicked = driver.findElement(button);
        clicked.click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> isGone(clicked));
    }

    /**
     * Whether the element's page was left. Chromium says so in two ways: a stale reference, or, while the next
     * document replaces it, "Node with given id does not belong to the document".
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    private Map<String, String> finalQuery() {
        // A click returns before the navigation ends; wait for the redirect to arrive.
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(d -> d.getCurrentUrl().startsWith(callback()));
        URI landed = URI.create(driver.getCurrentUrl());
        assertThat(landed.getScheme() + "://" + landed.getAuthority() + landed.getPath()).isEqualTo(callback());
        return java.util.Arrays.stream(landed.getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
    }

    @Test
    void browserWhenLoginAndApproveThenRedirectWithCodeAndIss() {
        openAuthorization();
        signIn("alice", "alice-password");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Native App would like to:");
        submitWith(By.id("approve"));
        Map<String, String> query = finalQuery();
        assertThat(query.get("code")).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
        assertThat(query).containsEntry("state", "browser-state").containsEntry("iss", AuthorizeValidationTest.ISSUER)
                .doesNotContainKey("error");

        // The session cookie was accepted: the next request signs in silently.
        openAuthorization();
        assertThat(finalQuery()).containsKey("code");
    }

    @Test
    void browserWhenLoginAndDenyThenRedirectWithAccessDenied() {
        openAuthorization();
        signIn("bob", "bob-password");
        submitWith(By.id("deny"));
        Map<String, String> query = finalQuery();
        assertThat(query).containsEntry("error", "access_denied").containsEntry("state", "browser-state")
                .containsEntry("iss", AuthorizeValidationTest.ISSUER).doesNotContainKey("code");
    }

    @Test
    void browserWhenWrongPasswordThenGenericMessageOnTheLoginPage() {
        openAuthorization();
        signIn("alice", "wrong-password");
        assertThat(driver.findElement(By.id("problem")).getText()).isEqualTo("The username or password is incorrect.");
        assertThat(driver.findElement(By.id("username")).isDisplayed()).isTrue();
    }
}
