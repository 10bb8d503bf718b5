package io.taskmetering.adapter.marketplace;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarketplaceConfigTest {
    private static MarketplaceConfig.Builder valid() {
        return MarketplaceConfig.builder().tenantId("contoso.onmicrosoft.com").clientId("client").clientSecret("secret-1");
    }

    @Test
    void defaultsAreTheLiveServiceInBatchModeWithTheV2TokenForm() {
        MarketplaceConfig config = valid().build();
        assertThat(config.baseUrl()).hasToString("https://marketplaceapi.microsoft.com/api");
        assertThat(config.resolvedTokenUrl())
                .isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
        assertThat(config.tokenForm()).isEqualTo(TokenForm.V2_SCOPE);
        assertThat(config.submissionMode()).isEqualTo(SubmissionMode.BATCH);
        assertThat(config.batchSize()).isEqualTo(25);
        assertThat(config.resourceAppId()).isEqualTo("20e940b3-4c77-4b0b-9a53-9e16a1b010a7");
        assertThat(config.deadlineMargin()).isEqualTo(Duration.ofMinutes(30));
        assertThat(valid().tokenForm(TokenForm.V1_RESOURCE).build().resolvedTokenUrl())
                .isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/token");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(valid().build().toString()).doesNotContain("secret-1").contains("clientSecret=****");
    }

    @Test
    void everyBadValueNamesItsKey() {
        expectKey(b -> b.tenantId(null), "METERING_MARKETPLACE_TENANT_ID");
        expectKey(b -> b.clientId(" "), "METERING_MARKETPLACE_CLIENT_ID");
        expectKey(b -> b.clientSecret(null), "METERING_MARKETPLACE_CLIENT_SECRET");
        expectKey(b -> b.baseUrl("http://marketplaceapi.microsoft.com/api"), "METERING_MARKETPLACE_BASE_URL");
        expectKey(b -> b.baseUrl("ftp://x/api"), "METERING_MARKETPLACE_BASE_URL");
        expectKey(b -> b.baseUrl("https://x/api?api-version=1"), "METERING_MARKETPLACE_BASE_URL");
        expectKey(b -> b.tokenUrl("http://login.example.com/{tenant}/token"), "METERING_MARKETPLACE_TOKEN_URL");
        expectKey(b -> b.tokenUrl("not a url"), "METERING_MARKETPLACE_TOKEN_URL");
        expectKey(b -> b.batchSize(26), "METERING_MARKETPLACE_BATCH_SIZE");
        expectKey(b -> b.batchSize(0), "METERING_MARKETPLACE_BATCH_SIZE");
        expectKey(b -> b.readTimeout(Duration.ZERO), "METERING_MARKETPLACE_READ_TIMEOUT");
        expectKey(b -> b.connectTimeout(null), "METERING_MARKETPLACE_CONNECT_TIMEOUT");
        expectKey(b -> b.maxAttempts(0), "METERING_MARKETPLACE_MAX_ATTEMPTS");
        expectKey(b -> b.itemErrorMaxAttempts(0), "METERING_MARKETPLACE_ITEM_ERROR_MAX_ATTEMPTS");
        expectKey(b -> b.backoffMultiplier(0.5), "METERING_MARKETPLACE_BACKOFF_MULTIPLIER");
        expectKey(b -> b.backoffMultiplier(Double.NaN), "METERING_MARKETPLACE_BACKOFF_MULTIPLIER");
        expectKey(b -> b.maxBackoff(Duration.ofMillis(10)), "METERING_MARKETPLACE_MAX_BACKOFF");
        expectKey(b -> b.jitter(1.0), "METERING_MARKETPLACE_JITTER");
        expectKey(b -> b.retryBudget(Duration.ofSeconds(-1)), "METERING_MARKETPLACE_RETRY_BUDGET");
        expectKey(b -> b.deadlineMargin(Duration.ofHours(24)), "METERING_DEADLINE_MARGIN");
        expectKey(b -> b.tokenForm(null), "METERING_MARKETPLACE_TOKEN_FORM");
        expectKey(b -> b.submissionMode(null), "METERING_MARKETPLACE_SUBMISSION");
    }

    @Test
    void plainHttpIsOnlyForLoopbackHosts() {
        assertThat(valid().baseUrl("http://localhost:8089/api").tokenUrl("http://127.0.0.1:8089/{tenant}/token").build()
                .resolvedTokenUrl()).isEqualTo("http://127.0.0.1:8089/contoso.onmicrosoft.com/token");
    }

    @Test
    void wireNamesParse() {
        assertThat(TokenForm.parse("v1-resource")).isEqualTo(TokenForm.V1_RESOURCE);
        assertThat(TokenForm.parse("V2")).isEqualTo(TokenForm.V2_SCOPE);
        assertThat(SubmissionMode.parse("Single")).isEqualTo(SubmissionMode.SINGLE);
        assertThatThrownBy(() -> SubmissionMode.parse("both")).hasMessageContaining("batch or single");
        assertThatThrownBy(() -> TokenForm.parse("v3")).hasMessageContaining("v2-scope or v1-resource");
    }

    private static void expectKey(UnaryOperator<MarketplaceConfig.Builder> change, String key) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(MarketplaceConfigException.class)
                .hasMessageStartingWith(key + ": ")
                .satisfies(e -> assertThat(((MarketplaceConfigException) e).key()).isEqualTo(key));
    }
}
