package io.taskmetering.bootstrap;

import io.taskmetering.application.model.ContractVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The METERING_CONTRACT_* settings are the bootstrap version: start-up stores the version they name, starts again
 * when they equal the stored one, and stops naming the keys when they differ under the same id.
 */
class BootstrapContractTest {
    @TempDir
    Path dir;

    private MeteringConfig config(String... keyValues) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("METERING_DB_URL", "jdbc:h2:file:" + dir.toAbsolutePath().resolve("metering"));
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return MeteringConfig.load(ConfigSource.ofMap(env));
    }

    private static Map<String, ContractVersion> storedVersions(MeteringConfig config) {
        try (MeteringService service = MeteringService.headless(config, Clock.systemUTC())) {
            Map<String, ContractVersion> versions = new LinkedHashMap<>();
            service.useCases().contracts().versions().forEach(v -> versions.put(v.version().version(), v.version()));
            return versions;
        }
    }

    @Test
    void startUpDefinesTheConfiguredVersionAndStartsAgainWhileTheSettingsAreEqual() {
        MeteringConfig configured = config("METERING_CONTRACT_REQUIRED_OUTPUT_KEYS", "summary,answer");

        Map<String, ContractVersion> first = storedVersions(configured);
        Map<String, ContractVersion> second = storedVersions(configured);

        assertThat(first).containsOnlyKeys("default-v1");
        assertThat(first.get("default-v1").settings()).isEqualTo(configured.billingPolicy().contract());
        assertThat(second).isEqualTo(first);
    }

    @Test
    void otherSettingsUnderAStoredVersionStopStartUpNamingTheKeys() {
        storedVersions(config());

        assertThatThrownBy(() -> storedVersions(config("METERING_CONTRACT_REQUIRE_APPROVAL", "true",
                "METERING_CONTRACT_INTENT_THRESHOLD", "4.5")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("METERING_CONTRACT_VERSION");
                    assertThat(e.getMessage()).contains("'default-v1'", "METERING_CONTRACT_REQUIRE_APPROVAL (stored: false)",
                            "METERING_CONTRACT_INTENT_THRESHOLD (stored: 3.0)")
                            .doesNotContain("METERING_CONTRACT_REQUIRED_OUTPUT_KEYS");
                });
        assertThat(storedVersions(config("METERING_CONTRACT_VERSION", "approvals-v2",
                "METERING_CONTRACT_REQUIRE_APPROVAL", "true"))).containsOnlyKeys("approvals-v2", "default-v1");
    }
}
