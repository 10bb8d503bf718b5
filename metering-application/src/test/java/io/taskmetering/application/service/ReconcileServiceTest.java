package io.taskmetering.application.service;

import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.model.Reconciliation.Difference;
import io.taskmetering.application.model.Reconciliation.Kind;
import io.taskmetering.application.port.in.ReconcileCommand;
import io.taskmetering.application.port.in.ReconcileResult;
import io.taskmetering.application.port.out.MarketplaceUnavailableException;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class ReconcileServiceTest {
    private static final LocalDate DAY = LocalDate.parse("2025-06-01");
    private static final SubscriptionRef CONTOSO = SubscriptionRef.of("contoso-sub");
    private static final SubscriptionRef FABRIKAM = SubscriptionRef.of("fabrikam-sub");

    private final TestMetering app = new TestMetering();

    /** Three accepted hours: contoso 14:00 (2 charges), contoso 15:00 (1), fabrikam 14:00 (1). */
    @BeforeEach
    void threeAcceptedHours() {
        app.record(aReport().forSubscription(CONTOSO.value()).withCorrelationId("c1").forTask("t1"));
        app.record(aReport().forSubscription(CONTOSO.value()).withCorrelationId("c2").forTask("t2"));
        app.record(aReport().forSubscription(FABRIKAM.value()).withCorrelationId("f1").forTask("t3"));
        app.at("2025-06-01T15:20:00Z").record(aReport().forSubscription(CONTOSO.value()).withCorrelationId("c3")
                .forTask("t4").occurredAt("2025-06-01T15:10:00Z"));
        app.at("2025-06-01T16:10:00Z").closeHours();
        app.submit();
        app.at("2025-06-02T02:00:00Z");
    }

    private static BucketKey hour(SubscriptionRef subscription, String start) {
        return new BucketKey(subscription, Dimension.TASK_COMPLETED, BillingHour.parse(start));
    }

    private Reconciliation reconcile(LocalDate day) {
        ReconcileResult result = app.useCases().reconcile().reconcile(new ReconcileCommand(day));
        assertThat(result).isInstanceOf(ReconcileResult.Reconciled.class);
        return ((ReconcileResult.Reconciled) result).reconciliation();
    }

    @Test
    void hoursTheMarketplaceReportsAsAcceptedMatch() {
        Reconciliation run = reconcile(DAY);

        assertThat(run.hoursCompared()).isEqualTo(3);
        assertThat(run.matching()).isEqualTo(3);
        assertThat(run.consistent()).isTrue();
        assertThat(run.ranAt()).isEqualTo(app.clock.instant());
        assertThat(app.store.anomalies()).isEmpty();
        assertThat(app.useCases().reconciliations().latestReconciliation(DAY)).contains(run);
        assertThat(app.marketplace.callsInsideTransaction()).as("no HTTP inside a transaction").isZero();
    }

    @Test
    void aDifferentQuantityAnOmittedHourAndAnUnknownHourAreDifferencesAndAnomalies() {
        app.marketplace.report(hour(CONTOSO, "2025-06-01T14:00:00Z"), new BigDecimal("3"));
        app.marketplace.forget(hour(CONTOSO, "2025-06-01T15:00:00Z"));
        app.marketplace.report(hour(SubscriptionRef.of("NORTHWIND-SUB"), "2025-06-01T09:00:00Z"), new BigDecimal("4"));

        Reconciliation run = reconcile(DAY);

        assertThat(run.hoursCompared()).isEqualTo(4);
        assertThat(run.matching()).isEqualTo(1);
        assertThat(run.differences()).extracting(Difference::kind, d -> d.subscription().value(),
                        d -> d.hour().start().toString(), Difference::ours, d -> d.theirs().toPlainString())
                .containsExactly(
                        tuple(Kind.MISMATCHED, "contoso-sub", "2025-06-01T14:00:00Z", 2L, "3"),
                        tuple(Kind.MISSING_AT_MARKETPLACE, "contoso-sub", "2025-06-01T15:00:00Z", 1L, "0"),
                        tuple(Kind.MISSING_HERE, "NORTHWIND-SUB", "2025-06-01T09:00:00Z", 0L, "4"));
        assertThat(app.store.anomalies()).hasSize(3).allMatch(a -> a.type() == AnomalyType.RECONCILIATION_MISMATCH)
                .extracting(Anomaly::detail).anyMatch(d -> d.contains("we recorded 2 as accepted, the Marketplace reports 3"));
        assertThat(app.useCases().reconciliations().latestReconciliation(DAY)).contains(run);
    }

    @Test
    void reRunningADayStoresANewRunAndTheSameFindingsOnce() {
        app.marketplace.report(hour(CONTOSO, "2025-06-01T14:00:00Z"), new BigDecimal("3"));
        Reconciliation first = reconcile(DAY);
        app.at("2025-06-02T03:00:00Z");

        Reconciliation second = reconcile(DAY);

        assertThat(second.runId()).isNotEqualTo(first.runId());
        assertThat(second.differences()).isEqualTo(first.differences());
        assertThat(app.useCases().reconciliations().latestReconciliation(DAY)).contains(second);
        assertThat(app.store.anomalies()).as("the same difference is the same anomaly").hasSize(1);
    }

    @Test
    void aDayWithNothingOnEitherSideIsConsistent() {
        Reconciliation run = reconcile(DAY.minusDays(1));

        assertThat(run.hoursCompared()).isZero();
        assertThat(run.consistent()).isTrue();
    }

    @Test
    void onlyTodayAndTheDaysBeforeWithinTheRangeCanBeReconciled() {
        ReconcileResult future = app.useCases().reconcile().reconcile(new ReconcileCommand(DAY.plusDays(2)));
        ReconcileResult tooOld = app.useCases().reconcile().reconcile(new ReconcileCommand(DAY.minusDays(90)));

        assertThat(future).isEqualTo(new ReconcileResult.DayOutOfRange(DAY.minusDays(89), DAY.plusDays(1)));
        assertThat(tooOld).isEqualTo(future);
        assertThat(reconcile(DAY.plusDays(1)).consistent()).as("today").isTrue();
        assertThat(reconcile(DAY.minusDays(89)).consistent()).as("the earliest day").isTrue();
    }

    @Test
    void inDryRunThereIsNothingToCompareAndNothingIsStored() {
        app.withoutMarketplaceToReconcile();

        assertThat(app.useCases().reconcile().reconcile(new ReconcileCommand(DAY)))
                .isInstanceOf(ReconcileResult.NothingToCompare.class);
        assertThat(app.useCases().reconciliations().latestReconciliation(DAY)).isEmpty();
    }

    @Test
    void aMarketplaceThatCannotAnswerStoresNothing() {
        app.marketplace.failNextReadWith(new MarketplaceUnavailableException("GET /usageEvents failed 3 times", null));

        assertThat(app.useCases().reconcile().reconcile(new ReconcileCommand(DAY)))
                .isEqualTo(new ReconcileResult.MarketplaceUnavailable("GET /usageEvents failed 3 times"));
        assertThat(app.useCases().reconciliations().latestReconciliation(DAY)).isEmpty();
        assertThat(app.store.anomalies()).isEmpty();
    }
}
