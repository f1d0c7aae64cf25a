package io.parley.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium driven through its chromedriver, for the pages' browser tests. Both
 * binaries are named explicitly, so Selenium never looks for (or downloads) a browser or driver.
 * A machine without them fails the test and names the packages: the tests are not skipped.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("parley.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("parley.chromedriver", "/usr/bin/chromedriver"));
    /** Where screenshots go; {@code -Dparley.screenshots=docs/screenshots} refreshes the committed ones. */
    static final Path SCREENSHOTS = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));
    private static final Duration WAIT = Duration.ofSeconds(15);

    final ChromeDriver driver;
    private final WebDriverWait wait;

    Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's packages 'chromium' and 'chromium-driver' ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver (.ci/run installs them)");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-dev-shm-usage", "--window-size=1280,860", "--lang=en-GB");
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        // The dashboard redraws its rows on every refresh: an element may go stale between two looks.
        wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
    }

    Browser open(String url) {
        driver.get(url);
        return this;
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    void click(String css) {
        click(By.cssSelector(css));
    }

    void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    /** Clicks the visible button inside the element with id {@code scope} whose text is exactly {@code label}. */
    void clickButton(String scope, String label) {
        click(By.xpath("//*[@id='" + scope + "']//button[normalize-space(.)='" + label + "']"));
    }

    /** Waits until the element's text contains {@code text}; returns the whole text. */
    String awaitText(String css, String text) {
        wait.withMessage(() -> "'" + text + "' in " + css + "; it says: " + textOf(css))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return textOf(css);
    }

    /** Waits until the element's whole text (trimmed) is {@code text}. */
    void awaitExactText(String css, String text) {
        wait.withMessage(() -> "'" + text + "' as " + css + "; it says: " + textOf(css))
                .until(d -> text.equals(textOf(css)));
    }

    void awaitGone(String css) {
        wait.withMessage(() -> css + " should be gone").until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
    }

    String textOf(String css) {
        try {
            List<WebElement> found = driver.findElements(By.cssSelector(css));
            return found.isEmpty() ? "(nothing)" : found.get(0).getText().strip();
        } catch (StaleElementReferenceException e) {
            return "(redrawn while read)";
        }
    }

    /** What the page logged as errors (a script error, a request the content security policy refused). */
    String consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // Answers the page expects and shows to the user (a refused call) are logged by the browser too.
                .filter(m -> !m.contains("the server responded with a status of"))
                .collect(Collectors.joining("\n"));
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
