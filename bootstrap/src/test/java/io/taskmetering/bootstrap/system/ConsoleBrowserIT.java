package io.taskmetering.bootstrap.system;

import io.taskmetering.adapter.marketplace.FakeMarketplace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.taskmetering.bootstrap.system.SystemTests.CLOSING_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.OPEN_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.env;
import static io.taskmetering.bootstrap.system.SystemTests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console in a real browser (headless Chromium driven by chromedriver) against the real jar on a seeded
 * database: two subscriptions with charges invoiced at the fake Marketplace, and one charge held for review. Each view
 * is saved as a screenshot under {@code target/console-screenshots/}.
 *
 * <p>Without Chromium and chromedriver the suite fails (it is never skipped): {@code mvn verify} installs them first ({@code build/install-chromium.sh}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final String CUSTOMER_KEY = "customer-reader-key-0001";
    private static final Path SCREENSHOTS = Path.of(System.getProperty("metering.system.logs", "target/system-it"))
            .resolveSibling("console-screenshots");

    private final String customer = "sub-customer-" + SystemTests.subscription();
    private final String other = "sub-other-" + SystemTests.subscription();
    private final String invoiced = "c-invoiced-" + SystemTests.subscription();
    private final String otherCharge = "c-other-" + SystemTests.subscription();
    private final String held = "c-held-" + SystemTests.subscription();
    private FakeMarketplace marketplace;
    private ServiceProcess service;
    private WebDriver browser;

    @BeforeAll
    void seedAndStart() {
        browser = chromium();
        marketplace = new FakeMarketplace();
        SystemTests.Database db = SystemTests.h2File("console");
        Instant hour = SystemTests.previousHour();
        // The previous hour, open: a charge for each subscription.
        try (ServiceProcess first = ServiceProcess.serve("console-seed", keys(env(db, marketplace, OPEN_GRACE, "console-seed")))) {
            first.awaitReady();
            Api agent = Api.agent(first);
            agent.post("/v1/outcomes", outcome(customer, "task-invoiced", invoiced, hour.plusSeconds(600), true)).expect(201);
            agent.post("/v1/outcomes", outcome(other, "task-other", otherCharge, hour.plusSeconds(700), true)).expect(201);
            agent.post("/v1/outcomes", outcome(customer, "task-failed", "c-failed-" + customer, hour.plusSeconds(800), false)).expect(201);
            first.stop();
        }
        // Restarted with no grace: the start-up run closes the hour and the Marketplace accepts it (BILLABLE).
        service = ServiceProcess.serve("console", keys(env(db, marketplace, CLOSING_GRACE, "console"))).awaitReady();
        Api admin = Api.admin(service);
        SystemTests.await("the hour accepted", Duration.ofSeconds(60), () -> {
            Map<String, Object> event = SystemTests.usageEvents(admin, hour).get(customer);
            return event != null && "ACCEPTED".equals(event.get("status")) ? event : null;
        });
        Map<String, Object> handoff = new LinkedHashMap<>(outcome(customer, "task-held", held, Instant.now(), true));
        handoff.put("evidence", Map.of("outputs", Map.of("status", "completed", "human_handoff", true)));
        Map<?, ?> recorded = Api.agent(service).post("/v1/outcomes", handoff).expect(201).json();
        assertThat(recorded.get("charge_state")).isEqualTo("PENDING_REVIEW");
    }

    /** The system tests' keys and the customer's own: a reader key scoped to its subscription. */
    private Map<String, String> keys(Map<String, String> env) {
        Map<String, String> withCustomer = new LinkedHashMap<>(env);
        withCustomer.put("METERING_API_KEYS", Api.API_KEYS + ",reader:" + CUSTOMER_KEY + ":" + customer);
        return withCustomer;
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        if (marketplace != null) {
            marketplace.close();
        }
    }

    @Test
    @Order(1)
    void a_bad_key_is_told_plainly_that_it_was_not_accepted() {
        useKey("not-a-key-of-this-service");

        WebElement main = browser.findElement(By.id("main"));
        assertThat(main.getText()).contains("The key was not accepted", "401 Unauthorized", "the API key is not valid");
        screenshot("bad-key");
    }

    @Test
    @Order(2)
    void approving_a_held_charge_in_the_ui_makes_it_qualified() {
        useKey(Api.ADMIN_KEY);
        open("#reviews");
        WebElement row = waitFor(By.cssSelector("form[data-correlation-id='" + held + "']"));
        assertThat(browser.findElement(By.id("main")).getText()).contains("human_handoff");
        screenshot("reviews");

        row.findElement(By.name("note")).sendKeys("hand-off checked");
        row.findElement(By.xpath(".//button[text()='Approve']")).click();

        waitForText(By.id("main"), held + " approved: now QUALIFIED");
        assertThat(chargeState(Api.admin(service), held)).isEqualTo("QUALIFIED");
    }

    @Test
    @Order(3)
    void a_reader_key_of_one_subscription_sees_only_it_and_disputes_its_charge() {
        useKey(CUSTOMER_KEY);
        open("#charges");
        waitForText(By.id("main"), invoiced);
        String listing = browser.findElement(By.id("main")).getText();
        assertThat(listing).contains(customer).doesNotContain(other).doesNotContain(otherCharge);

        open("#charges/" + otherCharge);
        waitForText(By.id("main"), "403 Forbidden");

        open("#charges/" + invoiced);
        waitForText(By.id("charge-state"), "BILLABLE");
        assertThat(browser.findElement(By.id("main")).getText()).contains("terminal_success:passed", "Marketplace attempts");
        screenshot("charge");
        WebElement dispute = browser.findElement(By.id("dispute-form"));
        dispute.findElement(By.name("reason")).sendKeys("the ticket was reopened the next day");
        dispute.findElement(By.tagName("button")).click();

        waitForText(By.id("charge-state"), "DISPUTED");
        assertThat(chargeState(Api.admin(service), invoiced)).isEqualTo("DISPUTED");
    }

    @Test
    @Order(4)
    void an_admin_reverses_the_disputed_charge_and_the_credit_shows() {
        useKey(Api.ADMIN_KEY);
        open("#charges/" + invoiced);
        WebElement resolve = waitFor(By.id("resolve-form"));
        new Select(resolve.findElement(By.name("decision"))).selectByValue("reverse");
        resolve.findElement(By.name("note")).sendKeys("agreed with the customer");
        resolve.findElement(By.tagName("button")).click();

        waitForText(By.id("charge-state"), "REVERSED");
        open("#charges");
        waitForText(By.id("main"), "Credits owed");
        WebElement credits = browser.findElement(By.xpath("//caption[starts-with(text(),'Credits owed')]/.."));
        assertThat(credits.getText()).contains(invoiced, "agreed with the customer");
        screenshot("charges");
    }

    @Test
    @Order(5)
    void every_other_view_renders_from_the_api() {
        useKey(Api.ADMIN_KEY);
        open("#usage-events");
        waitForText(By.id("main"), "ACCEPTED");
        screenshot("usage-events");

        open("#anomalies");
        waitFor(By.cssSelector("#main form.filters"));
        waitForGone(By.xpath("//*[@id='main']//*[text()='Loading…']"));
        screenshot("anomalies");

        open("#rules");
        waitForText(By.id("main"), "Contract versions");
        screenshot("rules");

        open("#reconciliation");
        waitForText(By.id("main"), "Reconcile this day now");
        browser.findElement(By.xpath("//button[text()='Reconcile this day now']")).click();
        waitForText(By.id("main"), "reconciled ");
        screenshot("reconciliation");
    }

    /** The overview draws the insights API's numbers: each subscription's rates, with the counts they come from. */
    @Test
    @Order(6)
    void the_overview_shows_the_numbers_of_the_insights_api() {
        useKey(Api.ADMIN_KEY);
        open("#overview");
        waitForText(By.id("main"), "conversion rate");
        String page = browser.findElement(By.id("main")).getText();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) Api.admin(service).get("/v1/insights/summary")
                .expect(200).json().get("data");
        assertThat(groups).extracting(g -> g.get("key")).contains(customer, other);
        for (Map<String, Object> group : groups) {
            for (String rate : List.of("conversion_rate", "review_rate", "dispute_rate", "reversal_rate")) {
                Map<?, ?> value = (Map<?, ?>) group.get(rate);
                assertThat(page).as(group.get("key") + " " + rate)
                        .contains("(" + value.get("numerator") + " of " + value.get("denominator") + ")");
            }
        }
        assertThat(page).contains(customer, other);
        screenshot("overview");
    }

    @Test
    @Order(7)
    void on_a_phone_the_console_fits_the_screen() {
        useKey(Api.ADMIN_KEY);
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            open("#charges/" + invoiced);
            waitForText(By.id("charge-state"), "REVERSED");
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(((Number) overflow).longValue()).isLessThanOrEqualTo(0);
            screenshot("phone-charge");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void useKey(String key) {
        browser.get(service.baseUrl() + "/console/");
        WebElement input = waitFor(By.id("api-key"));
        input.sendKeys(key);
        input.submit();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                !d.findElement(By.id("key-status")).getText().isEmpty()
                        || d.findElement(By.id("main")).getText().contains("The key was not accepted"));
    }

    private void open(String hash) {
        ((JavascriptExecutor) browser).executeScript("location.hash = arguments[0];", hash);
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void waitForText(By by, String text) {
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .withMessage(() -> "text '" + text + "' in " + by + "; the page shows:\n" + browser.findElement(By.tagName("body")).getText())
                .until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    private void waitForGone(By by) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.invisibilityOfElementLocated(by));
    }

    private static String chargeState(Api api, String correlationId) {
        Map<?, ?> charge = (Map<?, ?>) api.get("/v1/audit/" + correlationId).expect(200).json().get("charge");
        return (String) charge.get("state");
    }

    private void screenshot(String view) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(view + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Debian's chromium and chromedriver; their absence fails the suite with what to install. */
    private static WebDriver chromium() {
        Path driver = onPath("chromedriver");
        Path binary = onPath("chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService driverService = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(driverService, options);
    }

    private static Path onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/lib/chromium";
        return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, program)).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new AssertionError("the console's browser tests need " + program
                        + " on the PATH: install Debian's chromium and chromium-driver (mvn verify does, as root, through build/install-chromium.sh)"));
    }
}
