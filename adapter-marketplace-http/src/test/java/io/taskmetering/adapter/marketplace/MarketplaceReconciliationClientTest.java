package io.taskmetering.adapter.marketplace;

import io.taskmetering.application.model.MarketplaceReportedUsage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarketplaceReconciliationClientTest extends MarketplaceTestSupport {

    @Test
    void readsWhatTheMarketplaceRecordedForADay() {
        fake.script(FakeMarketplace.json(503, "{}"));
        fake.script(FakeMarketplace.json(200, "[{\"usageDate\":\"2025-06-01T00:00:00\",\"usageResourceId\":\"SUB-1\","
                + "\"dimension\":\"task_completed\",\"planId\":\"gold\",\"offerId\":\"o\",\"azureSubscriptionId\":\"a\","
                + "\"reconStatus\":\"Accepted\",\"submittedQuantity\":12.0,\"processedQuantity\":12,\"submittedCount\":3},"
                + "{\"usageDate\":\"2025-06-01\",\"dimension\":\"broken\"}]"));
        List<MarketplaceReportedUsage> rows;
        try (MarketplaceHttpClient client = client()) {
            rows = client.reconciliationClient().usageOn(LocalDate.parse("2025-06-01"));
        }
        assertThat(rows).containsExactly(new MarketplaceReportedUsage(Instant.parse("2025-06-01T00:00:00Z"), "SUB-1",
                "task_completed", "gold", new BigDecimal("12"), new BigDecimal("12"), "Accepted"));
        List<FakeMarketplace.Call> calls = fake.meteringCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path()).isEqualTo("/api/usageEvents");
        assertThat(calls.get(0).query()).isEqualTo("api-version=2018-08-31&usageStartDate=2025-06-01&UsageEndDate=2025-06-02");
        assertThat(sleeper.waits).hasSize(1);
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndOtherFailuresFailTheRun() {
        fake.forbiddenTokens.add("token-1");
        fake.script(FakeMarketplace.json(200, "{\"value\":[]}"));
        try (MarketplaceHttpClient client = client()) {
            assertThat(client.reconciliationClient().usageOn(LocalDate.parse("2025-06-01"))).isEmpty();
            fake.script(FakeMarketplace.json(400, "{\"message\":\"bad date\"}"));
            assertThatThrownBy(() -> client.reconciliationClient().usageOn(LocalDate.parse("2025-06-01")))
                    .isInstanceOf(MarketplaceReconciliationClient.ReconciliationFailedException.class)
                    .hasMessageContaining("400");
        }
        assertThat(fake.tokenRequests).hasValue(2);
    }

    @Test
    void theFakeReportsEveryHourItHoldsOnTheDay() {
        fake.ledger.put(FakeMarketplace.key("sub-1", "task_completed", "2025-06-01T10:00:00Z"),
                new FakeMarketplace.Held("evt-1", new BigDecimal("3"), "gold", Instant.parse("2025-06-01T11:00:00Z")));
        fake.ledger.put(FakeMarketplace.key("sub-1", "task_completed", "2025-06-02T00:00:00Z"),
                new FakeMarketplace.Held("evt-2", new BigDecimal("4"), "gold", Instant.parse("2025-06-02T01:00:00Z")));
        List<MarketplaceReportedUsage> rows;
        try (MarketplaceHttpClient client = client()) {
            rows = client.reconciliationClient().usageOn(LocalDate.parse("2025-06-01"));
        }
        assertThat(rows).containsExactly(new MarketplaceReportedUsage(Instant.parse("2025-06-01T10:00:00Z"), "SUB-1",
                "task_completed", "gold", new BigDecimal("3"), new BigDecimal("3"), "Accepted"));
        assertThat(fake.problems()).isEmpty();
    }
}
