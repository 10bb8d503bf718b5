package io.taskmetering.bootstrap.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A configuration the service cannot run with stops start-up: the jar exits with code 2, and stderr carries one line
 * starting with {@code configuration error:} or {@code error:} that names the key, and no stack trace. Values that
 * are well-formed but unusable (a database that cannot be reached or created, a port that is taken) count too.
 */
class ConfigErrorsIT {
    private static ServerSocket taken;
    private static Path notADirectory;

    @BeforeAll
    static void prepare() throws IOException {
        taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"));
        notADirectory = Files.createTempFile(ServiceProcess.logDirectory(), "plain-file", ".txt");
    }

    @AfterAll
    static void release() throws IOException {
        taken.close();
        Files.deleteIfExists(notADirectory);
    }

    record Case(String name, Map<String, String> env, List<String> args, String key) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws IOException {
        prepareIfNeeded();
        Map<String, String> live = Map.of("METERING_MARKETPLACE_MODE", "live", "METERING_MARKETPLACE_TENANT_ID", "t",
                "METERING_MARKETPLACE_CLIENT_ID", "c", "METERING_MARKETPLACE_CLIENT_SECRET", "s");
        Path properties = Files.writeString(Files.createTempFile(ServiceProcess.logDirectory(), "metering", ".properties"),
                "metering.hour.grace = ten minutes\n");
        return Stream.of(
                serve("database URL of another kind", "METERING_DB_URL", "mysql://localhost:3306/metering"),
                serve("PostgreSQL that does not answer", "METERING_DB_URL",
                        "jdbc:postgresql://127.0.0.1:" + ServiceProcess.freePort() + "/metering"),
                serve("H2 URL with an implicitly relative path", "METERING_DB_URL", "jdbc:h2:data/metering"),
                serve("H2 file under a plain file", "METERING_DB_URL",
                        "jdbc:h2:file:" + notADirectory.toAbsolutePath() + "/sub/metering;TRACE_LEVEL_FILE=0"),
                serve("duration that is not ISO-8601", "METERING_HOUR_GRACE", "10m"),
                serve("grace longer than the Marketplace allows", "METERING_HOUR_GRACE", "PT24H"),
                serve("zero submit interval", "METERING_SUBMIT_INTERVAL", "PT0S"),
                serve("unknown Marketplace mode", "METERING_MARKETPLACE_MODE", "sandbox"),
                new Case("live mode without a client secret", Map.of("METERING_MARKETPLACE_MODE", "live",
                        "METERING_MARKETPLACE_TENANT_ID", "t", "METERING_MARKETPLACE_CLIENT_ID", "c"), List.of("serve"),
                        "METERING_MARKETPLACE_CLIENT_SECRET"),
                new Case("live mode over plain http to a remote host", with(live, "METERING_MARKETPLACE_BASE_URL",
                        "http://marketplace.example.com/api"), List.of("serve"), "METERING_MARKETPLACE_BASE_URL"),
                serve("unknown dedupe scope", "METERING_DEDUPE_SCOPE", "day"),
                serve("port that is not a number", "METERING_HTTP_PORT", "eighty"),
                serve("port that is taken", "METERING_HTTP_PORT", Integer.toString(taken.getLocalPort())),
                serve("API key too short", "METERING_API_KEYS", "admin:short"),
                new Case("submit (cron) with a negative cap", Map.of("METERING_CAP_HOURLY", "-1"), List.of("submit"),
                        "METERING_CAP_HOURLY"),
                new Case("bad value in the --config file", Map.of(), List.of("serve", "--config",
                        properties.toAbsolutePath().toString()), "METERING_HOUR_GRACE"),
                new Case("missing --config file", Map.of(), List.of("serve", "--config", "/nonexistent/metering.properties"),
                        "--config"));
    }

    private static void prepareIfNeeded() throws IOException {
        if (taken == null) {
            prepare();
        }
    }

    private static Case serve(String name, String key, String value) {
        return new Case(name, Map.of(key, value), List.of("serve"), key);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> env = new LinkedHashMap<>(base);
        env.put(key, value);
        return env;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void startUpStopsWithOneLineNamingTheKey(Case c) {
        Map<String, String> env = new LinkedHashMap<>();
        // a valid database by default, in a directory of its own, so only the value under test is wrong
        env.put("METERING_DB_URL", SystemTests.h2File("config").url());
        env.put("METERING_HTTP_PORT", "0");
        env.putAll(c.env());
        ServiceProcess.Finished run = ServiceProcess.run("config", env, Duration.ofSeconds(60), c.args().toArray(String[]::new));

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isEqualTo(2);
        List<String> errorLines = Arrays.stream(run.stderr().split("\n"))
                .filter(line -> line.startsWith("configuration error: ") || line.startsWith("error: "))
                .toList();
        assertThat(errorLines).as("stderr:%n%s", run.stderr()).hasSize(1);
        assertThat(errorLines.get(0)).contains(c.key() + ":");
        assertThat(run.stderr()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(run.stderr()).doesNotContain("event=started");
    }
}
