package io.latchkey.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Chromium through ChromeDriver, from Debian's packages, with a fresh profile each time. */
final class Chromium {

    private static final String BINARY = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";

    private Chromium() {
    }

    static WebDriver start() throws IOException {
        if (!new File(BINARY).canExecute() || !new File(DRIVER).canExecute()) {
            throw new IllegalStateException("The browser tests need Chromium and ChromeDriver: apt-get install chromium chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        // Without the background-networking flags Chromium keeps calling out, which a closed network refuses.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + Files.createTempDirectory("latchkey-chromium"));
        return new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build(), options);
    }

    /** Quits the browser, then stops the stack it drove; either may be null when start-up failed half-way. */
    static void stop(WebDriver browser, Stack stack) {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
    }
}
