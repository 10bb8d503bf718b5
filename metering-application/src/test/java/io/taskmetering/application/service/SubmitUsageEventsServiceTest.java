package io.taskmetering.application.service;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import io.taskmetering.application.model.LeasedUsageEvent;
import io.taskmetering.application.port.in.SubmitUsageEventsCommand;
import io.taskmetering.application.testing.InMemoryStore;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H14;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H15;
import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmitUsageEventsServiceTest {
    private final TestMetering app = new TestMetering();

    @BeforeEach
    void twoChargesInAClosedHour() {
        app.record(aReport().withCorrelationId("c1").forTask("task-001"));
        app.record(aReport().withCorrelationId("c2").forTask("task-002"));
        app.at("2025-06-01T15:10:00Z").closeHours();
        app.at("2025-06-01T15:15:00Z");
    }

    @Test
    void anAcceptedHourMakesItsChargesBillable() {
        SubmissionRunResult run = app.submit();

        assertThat(run.results()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(SubmissionStatus.ACCEPTED));
        assertThat(run.chargesInvoiced()).isEqualTo(2);
        assertThat(app.store.charges()).extracting(Charge::state).containsOnly(ChargeState.BILLABLE);
        InMemoryStore.OutboxRow row = app.store.outboxRow(CONTOSO_H14);
        assertThat(row.status()).isEqualTo(UsageEventStatus.ACCEPTED);
        assertThat(row.usageEventId()).isNotNull();
        assertThat(row.claimer()).isNull();
        assertThat(row.requestBody()).as("the body the adapter reports as sent").isNotNull()
                .isEqualTo(run.results().get(0).requestBody());
        assertThat(app.store.findAttempts(CONTOSO_H14)).hasSize(1);
        LedgerEntry invoiced = app.store.history(CorrelationId.of("c1")).get(1);
        assertThat(invoiced.actor()).isEqualTo("marketplace");
        assertThat(invoiced.entryId()).isEqualTo("c1#1");
        assertThat(invoiced.toState()).isEqualTo(ChargeState.BILLABLE);
        assertThat(app.marketplace.sent()).extracting(e -> e.quantity()).containsExactly(2L);
        assertThat(app.marketplace.callsInsideTransaction()).as("no HTTP inside a transaction").isZero();
        assertThat(app.store.anomalies()).isEmpty();
    }

    @Test
    void anAcceptedHourIsNeverSentAgain() {
        app.submit();
        app.at("2025-06-01T16:00:00Z");

        assertThat(app.submit().results()).isEmpty();
        assertThat(app.marketplace.batches()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"DRY_RUN, DRY_RUN", "DUPLICATE_ACCEPTED, ACCEPTED"})
    void dryRunAndAnEarlierAttemptThatLandedCountAsAccepted(SubmissionStatus answer, UsageEventStatus stored) {
        app.marketplace.answerByDefault(answer);

        SubmissionRunResult run = app.submit();

        assertThat(run.chargesInvoiced()).isEqualTo(2);
        assertThat(app.store.charges()).extracting(Charge::state).containsOnly(ChargeState.BILLABLE);
        assertThat(app.store.outboxRow(CONTOSO_H14).status()).isEqualTo(stored);
        assertThat(app.store.anomalies()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "DISCREPANCY, DISCREPANCY, SUBMISSION_DISCREPANCY, discrepancy code=Duplicate",
            "EXPIRED, EXPIRED, SUBMISSION_EXPIRED, expired code=Expired",
            "DEADLINE_PASSED, EXPIRED, SUBMISSION_DEADLINE, expired code=deadline",
            "REJECTED, REJECTED, SUBMISSION_REJECTED, rejected code=ResourceNotFound",
            "UNAUTHORIZED, REJECTED, SUBMISSION_UNAUTHORIZED, unauthorized code=Unauthorized"})
    void aRefusedHourRaisesAnAnomalyAndItsChargesStayQualified(SubmissionStatus answer, UsageEventStatus stored,
                                                              AnomalyType anomalyType, String detail) {
        app.marketplace.answerByDefault(answer).holdingQuantity(5);

        SubmissionRunResult run = app.submit();

        assertThat(run.chargesInvoiced()).isZero();
        assertThat(app.store.charges()).extracting(Charge::state).containsOnly(ChargeState.QUALIFIED);
        assertThat(app.store.outboxRow(CONTOSO_H14).status()).isEqualTo(stored);
        Anomaly anomaly = app.store.anomalies().get(0);
        assertThat(anomaly.type()).isEqualTo(anomalyType);
        assertThat(anomaly.hour()).isEqualTo(CONTOSO_H14.hour());
        assertThat(anomaly.subscription()).isEqualTo(CONTOSO_H14.subscription());
        assertThat(anomaly.occurredAt()).isEqualTo(app.clock.instant());
        assertThat(anomaly.detail()).startsWith(detail);
        if (answer == SubmissionStatus.DISCREPANCY) {
            assertThat(anomaly.detail()).contains("marketplace_quantity=5");
        }
        app.at("2025-06-01T16:00:00Z");
        assertThat(app.submit().results()).as("a terminal answer is final").isEmpty();
        assertThat(app.store.anomalies()).hasSize(1);
    }

    @Test
    void retryLaterKeepsTheHourPendingAndTheNextRunSendsTheSamePayloadAgain() {
        app.marketplace.script(CONTOSO_H14, SubmissionStatus.RETRY_LATER, SubmissionStatus.ACCEPTED);

        SubmissionRunResult first = app.submit();

        assertThat(first.chargesInvoiced()).isZero();
        assertThat(app.store.outboxRow(CONTOSO_H14).status()).isEqualTo(UsageEventStatus.PENDING);
        assertThat(app.store.outboxRow(CONTOSO_H14).claimer()).as("claim released").isNull();
        assertThat(app.store.charges()).extracting(Charge::state).containsOnly(ChargeState.QUALIFIED);
        assertThat(app.store.anomalies()).isEmpty();

        SubmissionRunResult second = app.submit();

        assertThat(second.chargesInvoiced()).isEqualTo(2);
        assertThat(app.marketplace.batches()).hasSize(2);
        assertThat(app.marketplace.batches().get(1)).isEqualTo(app.marketplace.batches().get(0));
        assertThat(app.store.findAttempts(CONTOSO_H14)).hasSize(2);
        assertThat(app.store.outboxRow(CONTOSO_H14).attempts()).isEqualTo(2);
    }

    @Test
    void anHourPastItsDeadlineIsGivenUpWithAnAnomalyWithoutCallingTheMarketplace() {
        // 24 h after 14:00 minus the 30-minute margin
        app.at("2025-06-02T13:30:00Z");

        SubmissionRunResult run = app.submit();

        SubmissionResult result = run.results().get(0);
        assertThat(result.status()).isEqualTo(SubmissionStatus.DEADLINE_PASSED);
        assertThat(result.errorCode()).isEqualTo("deadline");
        assertThat(app.marketplace.batches()).isEmpty();
        InMemoryStore.OutboxRow row = app.store.outboxRow(CONTOSO_H14);
        assertThat(row.status()).isEqualTo(UsageEventStatus.EXPIRED);
        assertThat(row.lastError()).isEqualTo("deadline: not accepted before effectiveStartTime + 24h - PT30M");
        assertThat(row.requestBody()).as("nothing was sent").isNull();
        assertThat(app.store.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AnomalyType.SUBMISSION_DEADLINE);
            assertThat(a.detail()).isEqualTo("expired code=deadline: not accepted before effectiveStartTime + 24h - PT30M");
        });
        assertThat(app.store.charges()).extracting(Charge::state).containsOnly(ChargeState.QUALIFIED);
    }

    @Test
    void anHourJustBeforeItsDeadlineIsStillSent() {
        app.at("2025-06-02T13:29:59Z");

        assertThat(app.submit().chargesInvoiced()).isEqualTo(2);
    }

    @Test
    void anEventTheAdapterSaidNothingAboutStaysPendingForTheNextRun() {
        app.record(aReport().withCorrelationId("c3").forTask("task-003").occurredAt("2025-06-01T15:12:00Z"));
        app.at("2025-06-01T16:10:00Z").closeHours();
        app.marketplace.sayNothingAbout(CONTOSO_H14);

        SubmissionRunResult run = app.submit();

        assertThat(run.results()).extracting(SubmissionResult::key, SubmissionResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CONTOSO_H14, SubmissionStatus.RETRY_LATER),
                org.assertj.core.groups.Tuple.tuple(CONTOSO_H15, SubmissionStatus.ACCEPTED));
        assertThat(run.results().get(0).errorCode()).isEqualTo("no_result");
        assertThat(app.store.outboxRow(CONTOSO_H14).status()).isEqualTo(UsageEventStatus.PENDING);
        assertThat(app.store.outboxRow(CONTOSO_H15).status()).isEqualTo(UsageEventStatus.ACCEPTED);
        assertThat(app.store.charge("c3").state()).isEqualTo(ChargeState.BILLABLE);
        assertThat(app.store.charge("c1").state()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(app.marketplace.batches().get(0)).hasSize(2);

        app.submit();
        assertThat(app.marketplace.batches().get(1)).extracting(e -> e.key()).containsExactly(CONTOSO_H14);
    }

    @Test
    void anEventClaimedByAnotherInstanceIsLeftAloneUntilItsLeaseExpires() {
        List<UsageEvent> claimed = app.store.inTransaction(() -> app.store.claimDueUsageEvents(10, app.clock.instant(),
                TestMetering.LEASE, "instance-2"));
        Instant leaseUntil = app.clock.instant().plus(TestMetering.LEASE);

        SubmissionRunResult blocked = app.submit();
        assertThat(blocked.results()).isEmpty();
        assertThat(blocked.inFlightElsewhere()).as("the answer names the hours in flight elsewhere, and until when")
                .containsExactlyElementsOf(claimed.stream()
                        .map(event -> new LeasedUsageEvent(event.key(), "instance-2", leaseUntil)).toList());
        assertThat(app.marketplace.batches()).isEmpty();

        app.clock.advance(TestMetering.LEASE);
        SubmissionRunResult after = app.submit();
        assertThat(after.chargesInvoiced()).isEqualTo(2);
        assertThat(after.inFlightElsewhere()).isEmpty();
    }

    @Test
    void aMarketplaceThatThrowsLeavesTheEventClaimedUntilTheLeaseExpires() {
        app.marketplace.failNextCallWith(new IllegalStateException("connection reset"));

        assertThatThrownBy(app::submit).hasMessage("connection reset");
        assertThat(app.store.outboxRow(CONTOSO_H14).status()).isEqualTo(UsageEventStatus.PENDING);
        assertThat(app.submit().results()).as("still leased").isEmpty();

        app.clock.advance(Duration.ofMinutes(5));
        assertThat(app.submit().chargesInvoiced()).isEqualTo(2);
    }

    @Test
    void atMostMaxEventsAreClaimedPerRun() {
        app.record(aReport().forTask("task-003").occurredAt("2025-06-01T15:12:00Z"));
        app.at("2025-06-01T16:10:00Z").closeHours();

        SubmissionRunResult run = app.useCases().submitUsageEvents().submitDue(new SubmitUsageEventsCommand(1));

        assertThat(run.results()).extracting(SubmissionResult::key).containsExactly(CONTOSO_H14);
        assertThat(app.store.outboxRow(CONTOSO_H15).status()).isEqualTo(UsageEventStatus.PENDING);
    }

    @Test
    void nothingDueCallsNothing() {
        app.submit();
        long commits = app.store.commits();

        SubmissionRunResult run = app.submit();

        assertThat(run.results()).isEmpty();
        assertThat(run.chargesInvoiced()).isZero();
        assertThat(app.marketplace.batches()).hasSize(1);
        assertThat(app.store.commits()).as("only the empty claim").isEqualTo(commits + 1);
    }
}
