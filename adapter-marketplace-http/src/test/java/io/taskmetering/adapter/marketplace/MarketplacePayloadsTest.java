package io.taskmetering.adapter.marketplace;

import io.taskmetering.domain.billing.UsageEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static io.taskmetering.adapter.marketplace.TestEvents.HOUR;
import static io.taskmetering.adapter.marketplace.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarketplacePayloadsTest {

    @Test
    void anEventIsTheMarketplacePayloadWithKeysInTheDocumentedOrder() {
        UsageEvent event = event("sub-contoso-001", "task_completed", HOUR, 2, "basic");
        assertThat(MarketplacePayloads.eventJson(event)).isEqualTo("{\"resourceId\":\"sub-contoso-001\",\"quantity\":2,"
                + "\"dimension\":\"task_completed\",\"effectiveStartTime\":\"2025-06-01T14:00:00Z\",\"planId\":\"basic\"}");
    }

    @Test
    void quotesAndBackslashesInIdsAreEscaped() {
        UsageEvent event = event("sub\"x\\y", "dim\"1", HOUR, 1, "p\\q");
        String json = MarketplacePayloads.eventJson(event);
        assertThat(json).isEqualTo("{\"resourceId\":\"sub\\\"x\\\\y\",\"quantity\":1,\"dimension\":\"dim\\\"1\","
                + "\"effectiveStartTime\":\"2025-06-01T14:00:00Z\",\"planId\":\"p\\\\q\"}");
        assertThat(MarketplaceJson.parse(json).get("resourceId").asText()).isEqualTo("sub\"x\\y");
    }

    @Test
    void theCorrelationIdIsANameBasedUuidOfTheHourKey() {
        UsageEvent a = event("sub-1", 3);
        String id = MarketplacePayloads.correlationId(a.key());
        assertThat(UUID.fromString(id).version()).isEqualTo(3);
        assertThat(MarketplacePayloads.correlationId(event("sub-1", 99).key())).as("quantity is not part of the key")
                .isEqualTo(id);
        assertThat(MarketplacePayloads.correlationId(event("sub-2", 3).key())).isNotEqualTo(id);
        assertThat(MarketplacePayloads.correlationId(event("sub-1", "task_completed", HOUR.plus(Duration.ofHours(1)), 3,
                "gold").key())).isNotEqualTo(id);
        assertThat(MarketplacePayloads.correlationId(event("sub-1", "other", HOUR, 3, "gold").key())).isNotEqualTo(id);
        assertThat(id).as("pinned: stored with attempts, so it must not change between releases").isEqualTo("89e22659-e410-3e9f-86f1-68c6a29d8821");
    }

    @Test
    void theBatchCorrelationIdDependsOnItsKeysInOrder() {
        List<UsageEvent> events = TestEvents.events(3);
        List<io.taskmetering.domain.billing.BucketKey> keys = events.stream().map(UsageEvent::key).toList();
        String id = MarketplacePayloads.batchCorrelationId(keys);
        assertThat(MarketplacePayloads.batchCorrelationId(keys)).isEqualTo(id);
        List<io.taskmetering.domain.billing.BucketKey> reversed = new java.util.ArrayList<>(keys);
        Collections.reverse(reversed);
        assertThat(MarketplacePayloads.batchCorrelationId(reversed)).isNotEqualTo(id);
    }

    @Test
    void aBatchBodyWrapsTheEventsExactly() {
        assertThat(MarketplacePayloads.batchJson(List.of("{\"a\":1}", "{\"b\":2}"))).isEqualTo("{\"request\":[{\"a\":1},{\"b\":2}]}");
        assertThatThrownBy(() -> MarketplacePayloads.batchJson(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MarketplacePayloads.batchJson(Collections.nCopies(26, "{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quantitiesAreWholeNumbersWithoutFloatingDrift() {
        UsageEvent big = event("sub-1", 9_007_199_254_740_993L);
        assertThat(MarketplacePayloads.eventJson(big)).contains("\"quantity\":9007199254740993,");
    }

    @Test
    void responsesAreReadLeniently() {
        assertThat(MarketplaceJson.instant("2025-06-01T14:00:00")).isEqualTo("2025-06-01T14:00:00Z");
        assertThat(MarketplaceJson.instant("2025-06-01T14:00:00.1234567Z")).isEqualTo("2025-06-01T14:00:00.1234567Z");
        assertThat(MarketplaceJson.instant("2025-06-01T16:00:00+02:00")).isEqualTo("2025-06-01T14:00:00Z");
        assertThat(MarketplaceJson.instant("2025-06-01")).isEqualTo("2025-06-01T00:00:00Z");
        assertThat(MarketplaceJson.instant("yesterday")).isNull();
        java.time.Instant now = java.time.Instant.parse("2025-06-01T14:00:00Z");
        assertThat(MarketplaceJson.retryAfter("2", now)).isEqualTo(Duration.ofSeconds(2));
        assertThat(MarketplaceJson.retryAfter("Sun, 01 Jun 2025 14:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(MarketplaceJson.retryAfter("Sun, 01 Jun 2025 13:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(MarketplaceJson.retryAfter("soon", now)).isNull();
        assertThat(MarketplaceJson.retryAfter(null, now)).isNull();
    }
}
