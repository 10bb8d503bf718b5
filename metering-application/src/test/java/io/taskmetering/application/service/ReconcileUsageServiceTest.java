package io.taskmetering.application.service;

import io.taskmetering.application.model.MarketplaceReportedUsage;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.ReconcileUsageCommand;
import io.taskmetering.application.port.in.ReconcileUsageUseCase.ReconciliationMismatch;
import io.taskmetering.application.port.in.ReconcileUsageUseCase.ReconciliationResult;
import io.taskmetering.application.port.out.LoadUsageEventsPort;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcileUsageServiceTest {
    private static final LocalDate DAY = LocalDate.parse("2025-06-01");
    private static final Instant MIDNIGHT = Instant.parse("2025-06-01T00:00:00Z");

    private final List<UsageEventRecord> stored = new ArrayList<>();
    private final List<Anomaly> anomalies = new ArrayList<>();
    private final List<MarketplaceReportedUsage> marketplace = new ArrayList<>();

    private ReconcileUsageService service() {
        return new ReconcileUsageService(new DirectUnitOfWork(), new ListOutbox(), day -> marketplace,
                new io.taskmetering.application.port.out.AnomalyPort() {
                    @Override
                    public void saveAnomalies(List<Anomaly> found) {
                        anomalies.addAll(found);
                    }

                    @Override
                    public Page<Anomaly> findAnomalies(io.taskmetering.application.model.AnomalyQuery query) {
                        throw new UnsupportedOperationException();
                    }
                }, Clock.fixed(Instant.parse("2025-06-03T00:00:00Z"), ZoneOffset.UTC));
    }

    private void accepted(String subscription, int hour, long quantity) {
        UsageEvent event = new UsageEvent(new BucketKey(SubscriptionRef.of(subscription), Dimension.TASK_COMPLETED,
                new BillingHour(MIDNIGHT.plus(Duration.ofHours(hour)))), quantity, PlanId.of("gold"));
        stored.add(new UsageEventRecord(event, UsageEventStatus.ACCEPTED, "u", null, 1, null, null,
                MIDNIGHT, MIDNIGHT));
    }

    private void held(String subscription, String quantity) {
        marketplace.add(new MarketplaceReportedUsage(MIDNIGHT, subscription.toUpperCase(), "task_completed", "gold",
                new BigDecimal(quantity), new BigDecimal(quantity), "Accepted"));
    }

    @Test
    void equalDayTotalsAreConsistent() {
        accepted("sub-a", 1, 3);
        accepted("sub-a", 2, 4);
        held("sub-a", "7.0");
        ReconciliationResult result = service().reconcile(new ReconcileUsageCommand(DAY));
        assertThat(result.consistent()).isTrue();
        assertThat(result.groupsCompared()).isEqualTo(1);
        assertThat(anomalies).isEmpty();
    }

    @Test
    void differencesBothWaysBecomeAnomalies() {
        accepted("sub-a", 1, 3);
        accepted("sub-b", 1, 2);
        held("sub-a", "1");
        held("sub-c", "5");
        marketplace.add(new MarketplaceReportedUsage(MIDNIGHT.minus(Duration.ofDays(1)), "sub-d", "task_completed", "gold",
                BigDecimal.TEN, BigDecimal.TEN, "Accepted"));
        ReconciliationResult result = service().reconcile(new ReconcileUsageCommand(DAY));
        assertThat(result.mismatches()).extracting(ReconciliationMismatch::resourceId, ReconciliationMismatch::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("sub-a", ReconciliationMismatch.Kind.MISSING_AT_MARKETPLACE),
                        org.assertj.core.groups.Tuple.tuple("sub-b", ReconciliationMismatch.Kind.MISSING_AT_MARKETPLACE),
                        org.assertj.core.groups.Tuple.tuple("SUB-C", ReconciliationMismatch.Kind.UNEXPECTED_AT_MARKETPLACE));
        assertThat(anomalies).hasSize(3).allMatch(a -> a.type() == AnomalyType.RECONCILIATION_MISMATCH)
                .allMatch(a -> a.hour().start().equals(MIDNIGHT));
        assertThat(anomalies.get(0).detail()).contains("recorded accepted 3").contains("marketplace submitted 1");
    }

    @Test
    void reconcilingTheSameDayAgainFindsTheSameAnomaliesUnderTheSameIds() {
        accepted("sub-a", 1, 3);
        held("sub-a", "1");
        held("sub-c", "5");
        service().reconcile(new ReconcileUsageCommand(DAY));
        List<String> first = anomalies.stream().map(Anomaly::id).toList();
        anomalies.clear();

        service().reconcile(new ReconcileUsageCommand(DAY));

        assertThat(anomalies).extracting(Anomaly::id).containsExactlyElementsOf(first).doesNotHaveDuplicates();
        // another total on a later run is another finding
        held("sub-a", "1");
        anomalies.clear();
        service().reconcile(new ReconcileUsageCommand(DAY));
        assertThat(anomalies).extracting(Anomaly::id).hasSize(2).doesNotContain(first.get(0)).contains(first.get(1));
    }

    private static final class DirectUnitOfWork implements io.taskmetering.application.port.out.UnitOfWork {
        @Override
        public <T> T inTransaction(java.util.function.Supplier<T> work) {
            return work.get();
        }
    }

    /** Serves the stored records one at a time, to exercise paging. */
    private final class ListOutbox implements LoadUsageEventsPort {
        @Override
        public Page<UsageEventRecord> findUsageEvents(UsageEventQuery query) {
            assertThat(query.status()).isEqualTo(UsageEventStatus.ACCEPTED);
            assertThat(query.from()).isEqualTo(MIDNIGHT);
            assertThat(query.to()).isEqualTo(MIDNIGHT.plus(Duration.ofDays(1)));
            int index = query.cursor() == null ? 0 : Integer.parseInt(query.cursor());
            if (index >= stored.size()) {
                return new Page<>(List.of(), null);
            }
            return new Page<>(List.of(stored.get(index)), index + 1 < stored.size() ? Integer.toString(index + 1) : null);
        }

        @Override
        public Optional<UsageEventRecord> findUsageEvent(BucketKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<UsageEventRecord> lockUsageEvent(BucketKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long countUsageEvents(UsageEventStatus status) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SubmissionAttempt> findAttempts(BucketKey key) {
            throw new UnsupportedOperationException();
        }
    }
}
