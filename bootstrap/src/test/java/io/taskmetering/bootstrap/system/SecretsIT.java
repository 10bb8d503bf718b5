package io.taskmetering.bootstrap.system;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar started with a password in its H2 URL, API keys and a client secret: its start-up line names the database
 * with the password replaced, and nothing it writes, from start to a graceful stop, contains a secret.
 */
class SecretsIT {
    private static final String URL_PASSWORD = "h2-url-secret-4711";
    private static final String API_KEY = "api-key-secret-0123456789";
    private static final String CLIENT_SECRET = "client-secret-4711";

    @Test
    void noSecretIsLoggedFromStartToStop() {
        SystemTests.Database db = SystemTests.h2File("secrets");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("METERING_DB_URL", db.url() + ";PASSWORD=" + URL_PASSWORD);
        env.put("METERING_DB_USER", db.user());
        env.put("METERING_DB_PASSWORD", URL_PASSWORD); // H2 refuses a URL password that differs from the given one
        env.put("METERING_API_KEYS", "admin:" + API_KEY);
        env.put("METERING_MARKETPLACE_CLIENT_SECRET", CLIENT_SECRET);
        ServiceProcess service = ServiceProcess.serve("secrets", env).awaitReady();
        service.awaitLog("event=started", java.time.Duration.ofSeconds(30));
        service.stop();

        String written = service.stdout() + service.stderr();
        assertThat(written).contains("db=" + db.url() + ";PASSWORD=**** ");
        assertThat(written).doesNotContain(URL_PASSWORD).doesNotContain(API_KEY).doesNotContain(CLIENT_SECRET);
    }
}
