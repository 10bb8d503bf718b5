package io.taskmetering.bootstrap;

import io.taskmetering.adapter.marketplace.MarketplaceConfig;
import io.taskmetering.adapter.marketplace.TokenForm;
import io.taskmetering.adapter.rest.ApiKeyConfig;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.trace.TraceMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeteringConfigTest {

    @Test
    void defaultsRunOnAFreshMachine() {
        MeteringConfig config = MeteringConfig.load(ConfigSource.ofMap(Map.of()));
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.database().url()).isEqualTo("jdbc:h2:file:./data/metering");
        assertThat(config.liveMarketplace()).isEmpty();
        assertThat(config.billingPolicy().defaultDimension().value()).isEqualTo("task_completed");
        assertThat(config.billingPolicy().hours().grace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.submitInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.reconcileAt()).isEqualTo(java.time.LocalTime.of(2, 0));
        assertThat(config.billingPolicy().dedupeScope()).isEqualTo(DedupeScope.TASK);
        assertThat(config.billingPolicy().caps().defaults().hourly()).isZero();
        assertThat(config.rest().apiKeys()).isEmpty();
        assertThat(config.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(config.traceMapping()).isEqualTo(TraceMapping.defaults());
        assertThat(config.settleInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.rest().maxTraceBodyBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void theTraceMappingIsBuiltFromItsKeys() {
        MeteringConfig config = MeteringConfig.load(ConfigSource.ofMap(Map.of(
                "METERING_OTLP_TASK_ID_ATTRIBUTE", "app.ticket_id",
                "METERING_OTLP_SUBSCRIPTION_ATTRIBUTE", "app.tenant",
                "METERING_OTLP_SETTLE_DELAY", "PT10S",
                "METERING_OTLP_PARENT_WAIT", "PT2M",
                "METERING_OTLP_MAX_BODY_BYTES", "4194304")));
        assertThat(config.traceMapping()).isEqualTo(new TraceMapping("app.ticket_id", "app.tenant",
                Duration.ofSeconds(10), Duration.ofMinutes(2)));
        assertThat(config.rest().maxTraceBodyBytes()).isEqualTo(4L * 1024 * 1024);
    }

    @Test
    void environmentOverridesTheFileWhichOverridesDefaults(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("metering.properties");
        Files.writeString(file, "metering.http.port=9090\nMETERING_PLAN_ID=gold\nmetering.cap.hourly=5\n");
        MeteringConfig config = MeteringConfig.load(ConfigSource.of(file, Map.of("METERING_HTTP_PORT", "7070",
                "PATH", "/usr/bin")));
        assertThat(config.httpPort()).isEqualTo(7070);
        assertThat(config.billingPolicy().defaultPlan().value()).isEqualTo("gold");
        assertThat(config.billingPolicy().caps().defaults().hourly()).isEqualTo(5);
    }

    @Test
    void parsesKeysOverridesAndLists() {
        MeteringConfig config = MeteringConfig.load(ConfigSource.ofMap(Map.of(
                "METERING_API_KEYS", "agent:agent-key-0123456789:sub-a|sub-b,admin:admin-key-0123456789",
                "METERING_CAP_OVERRIDES", "sub-a=100/1000",
                "METERING_CONTRACT_REQUIRED_OUTPUT_KEYS", "result, summary",
                "METERING_DEDUPE_SCOPE", "hour")));
        assertThat(config.rest().apiKeys()).extracting(ApiKeyConfig::name).containsExactly("agent-1", "admin-2");
        assertThat(config.rest().apiKeys().get(0).subscriptions()).containsExactlyInAnyOrder("sub-a", "sub-b");
        assertThat(config.rest().apiKeys().get(1).subscriptions()).isEmpty();
        assertThat(config.toString()).doesNotContain("agent-key-0123456789");
        assertThat(config.billingPolicy().caps().limitsFor(new SubscriptionRef("sub-a")).daily()).isEqualTo(1000);
        assertThat(config.billingPolicy().contract().requiredOutputKeys()).containsExactly("result", "summary");
        assertThat(config.billingPolicy().dedupeScope()).isEqualTo(DedupeScope.HOUR);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = ';', value = {
            "METERING_HTTP_PORT;http",
            "METERING_HTTP_PORT;70000",
            "METERING_DB_URL;mysql://localhost/db",
            "METERING_MARKETPLACE_MODE;sometimes",
            "METERING_MARKETPLACE_BASE_URL;not a url",
            "METERING_HOUR_GRACE;10m",
            "METERING_HOUR_GRACE;PT25H",
            "METERING_SUBMIT_INTERVAL;PT0S",
            "METERING_RECONCILE_AT;24:00",
            "METERING_RECONCILE_AT;2am",
            "METERING_CAP_HOURLY;-1",
            "METERING_CAP_DAILY;lots",
            "METERING_DEDUPE_SCOPE;week",
            "METERING_CONTRACT_REQUIRE_APPROVAL;maybe",
            "METERING_CONTRACT_INTENT_THRESHOLD;-3",
            "METERING_API_KEYS;root:0123456789abcdef",
            "METERING_API_KEYS;agent:short",
            "METERING_CAP_OVERRIDES;sub-a=10",
            "METERING_RETENTION;forever",
            "METERING_PLAN_ID;plan\u0007id",
            "METERING_MAX_BODY_BYTES;100",
            "METERING_MARKETPLACE_JITTER;half",
            "METERING_MARKETPLACE_TOKEN_FORM;v3",
            "METERING_OTLP_MAX_BODY_BYTES;100000000",
            "METERING_OTLP_SETTLE_DELAY;PT10M",
            "METERING_OTLP_PARENT_WAIT;-PT1S",
            "METERING_OTLP_SETTLE_INTERVAL;PT0S",
            "METERING_OTLP_TASK_ID_ATTRIBUTE;task\u0007id"})
    void anInvalidValueStopsStartUpNamingTheKey(String key, String value) {
        assertThatThrownBy(() -> MeteringConfig.load(ConfigSource.ofMap(Map.of(key, value))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": ");
    }

    @Test
    void liveModeNeedsCredentials() {
        assertThatThrownBy(() -> MeteringConfig.load(ConfigSource.ofMap(Map.of("METERING_MARKETPLACE_MODE", "live"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("METERING_MARKETPLACE_TENANT_ID");
    }

    private static final Map<String, String> LIVE = Map.of("METERING_MARKETPLACE_MODE", "live",
            "METERING_MARKETPLACE_TENANT_ID", "tenant-1", "METERING_MARKETPLACE_CLIENT_ID", "client-1",
            "METERING_MARKETPLACE_CLIENT_SECRET", "client-secret-value");

    @Test
    void liveModeBuildsTheMarketplaceClientWithTheDefaultsOfTheAdapter() {
        MarketplaceConfig built = MeteringConfig.load(ConfigSource.ofMap(LIVE)).liveMarketplace().orElseThrow();
        assertThat(built).isEqualTo(MarketplaceConfig.builder().tenantId("tenant-1").clientId("client-1")
                .clientSecret("client-secret-value").build());
    }

    @Test
    void everyMarketplaceSettingCanBeSet() {
        Map<String, String> settings = new HashMap<>(LIVE);
        settings.put("METERING_MARKETPLACE_BATCH_SIZE", "10");
        settings.put("METERING_MARKETPLACE_TOKEN_FORM", "v1-resource");
        settings.put("METERING_MARKETPLACE_MAX_ATTEMPTS", "2");
        settings.put("METERING_MARKETPLACE_RETRY_BUDGET", "PT30S");
        MarketplaceConfig built = MeteringConfig.load(ConfigSource.ofMap(settings)).liveMarketplace().orElseThrow();
        assertThat(built.batchSize()).isEqualTo(10);
        assertThat(built.tokenForm()).isEqualTo(TokenForm.V1_RESOURCE);
        assertThat(built.resolvedTokenUrl()).isEqualTo("https://login.microsoftonline.com/tenant-1/oauth2/token");
        assertThat(built.maxAttempts()).isEqualTo(2);
        assertThat(built.retryBudget()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aValueTheMarketplaceClientRefusesStopsStartUpNamingTheKey() {
        Map<String, String> settings = new HashMap<>(LIVE);
        settings.put("METERING_MARKETPLACE_BATCH_SIZE", "26");
        assertThatThrownBy(() -> MeteringConfig.load(ConfigSource.ofMap(settings)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("METERING_MARKETPLACE_BATCH_SIZE"));
    }
}
