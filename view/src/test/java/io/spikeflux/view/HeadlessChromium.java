package io.spikeflux.view;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's headless Chromium driven by Selenium through Debian's ChromeDriver (never a downloaded
 * browser). Every page gets a script, before its own, that records uncaught errors, rejected
 * promises and console errors; with what the browser logs itself at SEVERE (failed loads, a
 * WebSocket that could not connect) a test can assert a page ran cleanly.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String RECORD_ERRORS = """
            window.__errors = [];
            window.addEventListener('error', e => window.__errors.push('error: ' + (e.message || e.target && e.target.src)), true);
            window.addEventListener('unhandledrejection', e => window.__errors.push('rejection: ' + e.reason));
            const consoleError = console.error.bind(console);
            console.error = (...a) => { window.__errors.push('console.error: ' + a.join(' ')); consoleError(...a); };
            """;

    final ChromeDriver driver;
    private final Path profile;

    HeadlessChromium(int width, int height) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); "
                    + "./run-tests installs them: apt-get install chromium chromium-driver");
        }
        try {
            profile = Files.createTempDirectory("spikeflux-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        // the flags a sandboxed machine with a closed network needs, and a fresh profile
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, o);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_ERRORS));
    }

    /** Cuts the page off every network, loopback included (file:// pages still load). */
    void goOffline() {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** The page's errors and the browser's SEVERE log entries since the last call. */
    @SuppressWarnings("unchecked")
    List<String> pageErrors() {
        List<String> errors = new ArrayList<>((List<String>) driver.executeScript(
                "return window.__errors || ['the error recorder did not run'];"));
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add("browser log: " + e.getMessage());
            }
        }
        return errors;
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Saves a screenshot as a test artefact under target/browser/. */
    Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "browser");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp profile left behind is harmless
            }
        }
    }
}
