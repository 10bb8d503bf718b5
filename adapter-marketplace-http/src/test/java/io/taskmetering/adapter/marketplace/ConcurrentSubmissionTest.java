package io.taskmetering.adapter.marketplace;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Concurrent workers share one client against a Marketplace that fails at random (seeded): every hour lands once. */
class ConcurrentSubmissionTest extends MarketplaceTestSupport {

    @ParameterizedTest
    @EnumSource(SubmissionMode.class)
    void everyHourIsAcceptedExactlyOnceUnderRandomFailures(SubmissionMode mode) throws Exception {
        fake.failRandomly(42, 0.3);
        List<UsageEvent> events = TestEvents.events(mode == SubmissionMode.BATCH ? 400 : 120);
        Map<BucketKey, SubmissionResult> finalResults = new ConcurrentHashMap<>();
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try (MarketplaceHttpClient client = client(fake.config().submissionMode(mode).maxAttempts(3)
                .readTimeout(Duration.ofMillis(300)))) {
            List<UsageEvent> pending = events;
            for (int round = 0; round < 20 && !pending.isEmpty(); round++) {
                List<Future<List<SubmissionResult>>> futures = new ArrayList<>();
                for (int from = 0; from < pending.size(); from += 30) {
                    List<UsageEvent> slice = pending.subList(from, Math.min(pending.size(), from + 30));
                    futures.add(workers.submit(() -> client.submit(slice)));
                }
                List<UsageEvent> next = new ArrayList<>();
                Map<BucketKey, UsageEvent> byKey = new ConcurrentHashMap<>();
                pending.forEach(e -> byKey.put(e.key(), e));
                for (Future<List<SubmissionResult>> future : futures) {
                    for (SubmissionResult result : future.get()) {
                        if (result.status() == SubmissionStatus.RETRY_LATER) {
                            next.add(byKey.get(result.key()));
                        } else {
                            assertThat(finalResults.put(result.key(), result)).isNull();
                        }
                    }
                }
                pending = next;
            }
            assertThat(pending).isEmpty();
        } finally {
            workers.shutdownNow();
        }
        assertThat(finalResults).hasSize(events.size());
        assertThat(finalResults.values()).extracting(SubmissionResult::status)
                .containsOnly(SubmissionStatus.ACCEPTED, SubmissionStatus.DUPLICATE_ACCEPTED);
        assertThat(fake.ledger).hasSize(events.size());
        for (UsageEvent event : events) {
            SubmissionResult result = finalResults.get(event.key());
            FakeMarketplace.Held held = fake.ledger.get(
                    FakeMarketplace.key(event.resourceId(), event.dimension(), event.effectiveStartTime()));
            assertThat(result.usageEventId()).isEqualTo(held.usageEventId());
            assertThat(held.quantity()).isEqualTo(Long.toString(event.quantity()));
            assertThat(result.requestBody()).isEqualTo(MarketplacePayloads.eventJson(event));
        }
        assertThat(fake.tokenRequests).hasValue(1);
    }
}
