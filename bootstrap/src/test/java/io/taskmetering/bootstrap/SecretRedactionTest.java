package io.taskmetering.bootstrap;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No password, client secret or API key reaches a log line or an error message: the service is run through
 * {@link Main} with secrets in every place they can be configured, and everything it prints and logs (through its own
 * {@code logback.xml}, at DEBUG, with stack traces) is searched for them.
 */
class SecretRedactionTest {
    private static final String H2_PASSWORD = "h2-url-secret-4711";
    private static final String API_KEY = "api-key-secret-0123456789";
    private static final String CLIENT_SECRET = "client-secret-4711";
    private static final String DB_PASSWORD = "db-password-4711";
    private static final List<String> SECRETS = List.of(H2_PASSWORD, API_KEY, CLIENT_SECRET, DB_PASSWORD,
            "pg-userinfo-secret", "pg-param-secret", "pg-ssl-secret", "mysql-secret", "short-key-12", "base-url-secret");

    @TempDir
    Path dir;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private PrintStream originalErr;

    /** The service's own logback.xml at DEBUG, writing to a captured stderr. */
    @BeforeEach
    void captureLogs() throws JoranException {
        originalErr = System.err;
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("METERING_LOG_LEVEL", "DEBUG");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Main.class.getResource("/logback.xml"));
    }

    @AfterEach
    void releaseLogs() throws JoranException {
        System.setErr(originalErr);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void everyLogLineIsRedactedWhicheverLibraryWritesIt() {
        LoggerFactory.getLogger("org.example.driver").info("connecting to jdbc:h2:mem:x;PASSWORD=" + H2_PASSWORD,
                new IllegalStateException("cannot reach metering:pg-userinfo-secret@127.0.0.1"));
        LoggerFactory.getLogger("org.example.client").atWarn().setMessage("token request refused")
                .addKeyValue("form", "client_secret=" + CLIENT_SECRET).log();
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("connecting to jdbc:h2:mem:x;PASSWORD=****")
                .contains("cannot reach metering:****@127.0.0.1").contains("client_secret=****");
        assertNoSecret(new Run(0, "", "", logged));
    }

    @Test
    void anH2UrlWithAPasswordAndConfiguredSecretsAreNeverPrinted() throws IOException {
        Run run = run("submit", Map.of(
                "METERING_DB_URL", "jdbc:h2:mem:redaction-" + System.nanoTime() + ";PASSWORD=" + H2_PASSWORD,
                "METERING_DB_USER", "sa",
                "METERING_DB_PASSWORD", H2_PASSWORD, // H2 refuses a URL password that differs from the given one
                "METERING_API_KEYS", "admin:" + API_KEY,
                "METERING_MARKETPLACE_CLIENT_SECRET", CLIENT_SECRET));
        assertThat(run.code()).as(run.all()).isZero();
        assertThat(run.logs()).contains("schema migrated").contains("event=stopped");
        assertNoSecret(run);
    }

    @Test
    void aPostgresqlUrlWithUserInfoAndPasswordParametersIsRedactedWhenTheDatabaseCannotBeOpened() throws IOException {
        Run run = run("submit", Map.of(
                "METERING_DB_URL", "jdbc:postgresql://metering:pg-userinfo-secret@127.0.0.1:" + freePort()
                        + "/metering?password=pg-param-secret&sslpassword=pg-ssl-secret&ApplicationName=metering",
                "METERING_DB_PASSWORD", DB_PASSWORD));
        assertThat(run.code()).as(run.all()).isEqualTo(2);
        assertThat(run.err()).startsWith("configuration error: METERING_DB_URL: cannot open the database "
                + "jdbc:postgresql://metering:****@127.0.0.1:");
        assertThat(run.err()).contains("password=****&sslpassword=****&ApplicationName=metering");
        assertNoSecret(run);
    }

    @Test
    void aRefusedDatabaseUrlIsShownWithoutItsPasswords() throws IOException {
        Run run = run("submit", Map.of("METERING_DB_URL", "mysql://metering:mysql-secret@db/metering"));
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("configuration error: METERING_DB_URL: ").contains("mysql://metering:****@db");
        assertNoSecret(run);
    }

    @Test
    void aRefusedApiKeyIsNeverRepeated() throws IOException {
        Run run = run("submit", Map.of("METERING_API_KEYS", "admin:" + API_KEY + ",reader:short-key-12"));
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("configuration error: METERING_API_KEYS: keys must be at least 16 characters")
                .contains("(was '****')");
        assertNoSecret(run);
    }

    @Test
    void aRefusedMarketplaceSettingDoesNotShowTheClientSecret() throws IOException {
        Map<String, String> live = new LinkedHashMap<>();
        live.put("METERING_MARKETPLACE_MODE", "live");
        live.put("METERING_MARKETPLACE_TENANT_ID", "tenant-1");
        live.put("METERING_MARKETPLACE_CLIENT_ID", "client-1");
        live.put("METERING_MARKETPLACE_CLIENT_SECRET", CLIENT_SECRET);
        live.put("METERING_MARKETPLACE_BASE_URL", "http://metering:base-url-secret@marketplace.example.com/api");
        Run run = run("submit", live);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("configuration error: METERING_MARKETPLACE_BASE_URL: must use https")
                .contains("http://metering:****@marketplace.example.com/api");
        assertNoSecret(run);
    }

    @Test
    void theRedactorKeepsEverythingButTheSecrets() {
        assertThat(Redactor.text("jdbc:h2:file:./data/metering;CIPHER=AES;PASSWORD=file pwd;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:./data/metering;CIPHER=AES;PASSWORD=****;MODE=PostgreSQL");
        assertThat(Redactor.text("cannot open the database jdbc:h2:mem:m;PASSWORD=**** as user 'sa'"))
                .as("redacting twice changes nothing").isEqualTo("cannot open the database jdbc:h2:mem:m;PASSWORD=**** as user 'sa'");
        assertThat(Redactor.text("java.net.UnknownHostException: metering:secret@127.0.0.1"))
                .isEqualTo("java.net.UnknownHostException: metering:****@127.0.0.1");
        assertThat(Redactor.text("token refused: access_token=\"eyJ0eXAi\" status=401"))
                .isEqualTo("token refused: access_token=\"****\" status=401");
        assertThat(Redactor.text("jdbc:postgresql://u:p@db:5432/m?user=u&password=p&sslmode=require"))
                .isEqualTo("jdbc:postgresql://u:****@db:5432/m?user=u&password=****&sslmode=require");
        assertThat(Redactor.text("grant_type=client_credentials&client_id=c&client_secret=s3&scope=x"))
                .isEqualTo("grant_type=client_credentials&client_id=c&client_secret=****&scope=x");
        assertThat(Redactor.text("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"))
                .isEqualTo("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token");
        assertThat(Redactor.text("must be at most PT23H, was PT24H")).isEqualTo("must be at most PT23H, was PT24H");
    }

    private void assertNoSecret(Run run) {
        String everything = run.all();
        for (String secret : SECRETS) {
            assertThat(everything).as("printed or logged: " + secret).doesNotContain(secret);
        }
    }

    record Run(int code, String out, String err, String logs) {
        String all() {
            return "stdout:\n" + out + "\nstderr:\n" + err + "\nlogs:\n" + logs;
        }
    }

    /** {@code Main} with the settings in a {@code --config} file (the environment of a test cannot be set). */
    private Run run(String command, Map<String, String> settings) throws IOException {
        Path file = dir.resolve("metering.properties");
        Files.writeString(file, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{command, "--config", file.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                logs.toString(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
