package io.taskmetering.application.service;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.OutcomeResult.CorrelationIdInUse;
import io.taskmetering.application.port.in.OutcomeResult.InvalidReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.CapType;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.LedgerEntryType;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordOutcomeServiceTest {
    static final SubscriptionRef CONTOSO = SubscriptionRef.of("sub-contoso-001");
    static final BillingHour H14 = BillingHour.parse("2025-06-01T14:00:00Z");
    static final BucketKey CONTOSO_H14 = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, H14);
    static final BucketKey CONTOSO_H15 = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, H14.next());

    private final TestMetering app = new TestMetering();

    @Nested
    class NotBillable {
        @Test
        void aFailedTaskIsKeptForAuditButChargesNothing() {
            OutcomeResult.Decided result = app.record(aReport().withCorrelationId("c-fail").failed());

            assertThat(result.decision().billable()).isFalse();
            assertThat(result.decision().reasonCodes()).contains("terminal_success:failed");
            assertThat(result.recording()).isEqualTo(new OutcomeRecord.NotBillable(CorrelationId.of("c-fail")));
            assertThat(result.replayed()).isFalse();
            assertThat(app.store.findDecision(CorrelationId.of("c-fail"))).isPresent();
            assertThat(app.store.findOutcomes(List.of(CorrelationId.of("c-fail"))))
                    .containsEntry(CorrelationId.of("c-fail"), new OutcomeRecord.NotBillable(CorrelationId.of("c-fail")));
            assertThat(app.store.charges()).isEmpty();
            assertThat(app.store.ledger()).isEmpty();
            assertThat(app.store.buckets()).isEmpty();
        }

        @Test
        void anEmptyResultIsNotBillable() {
            OutcomeResult.Decided result = app.record(aReport().withEmptyResult());

            assertThat(result.decision().reasonCodes()).contains("output_validation:invalid=result");
            assertThat(result.recording()).isInstanceOf(OutcomeRecord.NotBillable.class);
        }
    }

    @Nested
    class Recorded {
        @Test
        void aBillableOutcomeIsChargedCountedAndLedgered() {
            OutcomeResult.Decided result = app.record(aReport().withCorrelationId("c1"));

            assertThat(result.recording()).isEqualTo(new OutcomeRecord.Charged(CorrelationId.of("c1"), H14, false));
            assertThat(result.recording().chargeCorrelationId()).contains(CorrelationId.of("c1"));
            assertThat(result.taskId()).isEqualTo(TaskId.of("task-001"));
            assertThat(result.subscription()).isEqualTo(CONTOSO);
            Charge charge = app.store.charge("c1");
            assertThat(charge.state()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(charge.counted()).isTrue();
            assertThat(charge.agentId()).isEqualTo(AgentId.of("agent-alpha"));
            assertThat(app.store.bucket(CONTOSO_H14)).isEqualTo(new HourBucket(CONTOSO_H14, 1, false));
            assertThat(app.store.bucketPlan(CONTOSO_H14)).contains(PlanId.of("basic"));
            assertThat(app.store.capCounter(CapPeriod.hourOf(CONTOSO, H14))).isEqualTo(1);
            assertThat(app.store.capCounter(CapPeriod.dayOf(CONTOSO, H14))).isEqualTo(1);
            LedgerEntry entry = app.store.ledger().get(0);
            assertThat(entry.entryId()).isEqualTo("c1#0");
            assertThat(entry.type()).isEqualTo(LedgerEntryType.CHARGE);
            assertThat(entry.actor()).isEqualTo("system");
            assertThat(entry.reason()).isEqualTo("all gates passed");
            assertThat(entry.ruleVersion()).isEqualTo(BillingPolicy.DEFAULT_RULE_VERSION);
            assertThat(app.store.findOutcomes(List.of(CorrelationId.of("c1"))).get(CorrelationId.of("c1")))
                    .isEqualTo(new OutcomeRecord.Charged(CorrelationId.of("c1"), H14, false));
        }

        @Test
        void aMissingCorrelationIdIsGeneratedAndAMissingTimeIsTheTimeOfReceipt() {
            OutcomeResult.Decided result = app.record(aReport().occurredAt((Instant) null));

            assertThat(result.correlationId()).isEqualTo(CorrelationId.of("id-1"));
            StoredDecision stored = app.store.findDecision(result.correlationId()).orElseThrow();
            assertThat(stored.occurredAt()).isEqualTo(TestMetering.START);
            assertThat(stored.receivedAt()).isEqualTo(TestMetering.START);
            assertThat(stored.kind()).isEqualTo(DecisionKind.METERED);
        }

        @Test
        void theReportsDimensionPlanAndContextAreKept() {
            app.record(aReport().withCorrelationId("c1").withDimension("premium_task").withPlan("pro")
                    .inWorkflow("wf-9", "2.1.0"));

            BucketKey premium = new BucketKey(CONTOSO, Dimension.of("premium_task"), H14);
            assertThat(app.store.bucket(premium).quantity()).isEqualTo(1);
            assertThat(app.store.bucketPlan(premium)).contains(PlanId.of("pro"));
            assertThat(app.store.findDecision(CorrelationId.of("c1")).orElseThrow().metadata())
                    .isEqualTo(Map.of("workflow_id", "wf-9", "agent_version", "2.1.0"));
        }

        @Test
        void usageCountsAreStoredAsAUsageRecordOfTheTask() {
            app.record(aReport().withCorrelationId("c1").withUsage(512, 128, 1500, 3));

            assertThat(app.store.usageRecords()).containsExactly(new UsageRecord(TaskId.of("task-001"),
                    AgentId.of("agent-alpha"), ConsumerId.of("sub-contoso-001"), 512, 128, 1500, 3,
                    Instant.parse("2025-06-01T14:05:00Z")));
        }
    }

    @Nested
    class Duplicates {
        @Test
        void aRetryOfAChargedTaskIsADuplicateNamingTheOriginal() {
            app.record(aReport().withCorrelationId("c1"));

            OutcomeResult.Decided retry = app.record(aReport().withCorrelationId("c2").occurredAt("2025-06-01T14:20:00Z"));

            assertThat(retry.recording()).isEqualTo(
                    new OutcomeRecord.Duplicate(CorrelationId.of("c2"), CorrelationId.of("c1")));
            assertThat(retry.replayed()).isFalse();
            assertThat(app.store.charges()).hasSize(1);
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(1);
            assertThat(app.store.findDecision(CorrelationId.of("c2"))).as("kept for audit").isPresent();
            assertThat(app.store.ledger()).hasSize(1);
        }

        @Test
        void aRetryAcrossTheHourBoundaryIsStillADuplicate() {
            app.record(aReport().withCorrelationId("c1").occurredAt("2025-06-01T14:29:00Z"));
            app.at("2025-06-01T15:01:00Z");

            OutcomeResult.Decided retry = app.record(aReport().withCorrelationId("c2").occurredAt("2025-06-01T15:00:30Z"));

            assertThat(retry.recording()).isInstanceOf(OutcomeRecord.Duplicate.class);
            assertThat(app.store.bucket(CONTOSO_H15).quantity()).isZero();
        }

        @Test
        void hourScopedDedupeBillsARetryAcrossTheHourTwice() {
            app.withPolicy(p -> p.withDedupeScope(DedupeScope.HOUR));
            app.record(aReport().withCorrelationId("c1").occurredAt("2025-06-01T14:29:00Z"));
            app.at("2025-06-01T15:01:00Z");

            OutcomeResult.Decided retry = app.record(aReport().withCorrelationId("c2").occurredAt("2025-06-01T15:00:30Z"));

            assertThat(retry.recording()).isInstanceOf(OutcomeRecord.Charged.class);
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(1);
            assertThat(app.store.bucket(CONTOSO_H15).quantity()).isEqualTo(1);
        }

        @Test
        void aFailedAttemptThenASuccessfulRetryBillsOnce() {
            app.record(aReport().withCorrelationId("c1").failed());
            OutcomeResult.Decided retry = app.record(aReport().withCorrelationId("c2"));

            assertThat(retry.recording()).isInstanceOf(OutcomeRecord.Charged.class);
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(1);
        }
    }

    @Nested
    class Holds {
        @Test
        void anOutcomeOverTheHourlyCapIsHeldForReviewWithAnAnomaly() {
            app.withPolicy(p -> p.withCaps(GuardrailCaps.of(1, 0)));
            app.record(aReport().withCorrelationId("c1").forTask("t1"));

            OutcomeResult.Decided over = app.record(aReport().withCorrelationId("c2").forTask("t2"));

            assertThat(over.recording()).isEqualTo(new OutcomeRecord.HeldForReview(CorrelationId.of("c2"), H14, false));
            Charge held = app.store.charge("c2");
            assertThat(held.counted()).isFalse();
            assertThat(held.holdReasons()).containsExactly("cap_exceeded:hourly=1");
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(1);
            assertThat(app.store.capCounter(CapPeriod.hourOf(CONTOSO, H14))).isEqualTo(1);
            Anomaly anomaly = app.store.anomalies().get(0);
            assertThat(anomaly.type()).isEqualTo(AnomalyType.CAP_EXCEEDED);
            assertThat(anomaly.subscription()).isEqualTo(CONTOSO);
            assertThat(anomaly.capType()).isEqualTo(CapType.HOURLY);
            assertThat(anomaly.capValue()).isEqualTo(1L);
            assertThat(anomaly.actualValue()).isEqualTo(2L);
            assertThat(anomaly.taskId()).isEqualTo(TaskId.of("t2"));
            assertThat(anomaly.correlationId()).isEqualTo(CorrelationId.of("c2"));
            assertThat(anomaly.occurredAt()).isEqualTo(TestMetering.START);
            assertThat(app.store.ledger().get(1).reason()).isEqualTo("held for review: cap_exceeded:hourly=1");
            assertThat(app.store.ledger().get(1).toState()).isEqualTo(ChargeState.PENDING_REVIEW);
        }

        @Test
        void theDailyCapAndPerSubscriptionOverridesApply() {
            app.withPolicy(p -> p.withCaps(GuardrailCaps.of(0, 1).withOverride(SubscriptionRef.of("sub-big"),
                    new io.taskmetering.domain.billing.CapLimits(0, 0))));
            app.record(aReport().forTask("t1").occurredAt("2025-06-01T14:01:00Z"));
            app.record(aReport().forTask("t1").forSubscription("sub-big"));

            OutcomeResult.Decided over = app.record(aReport().forTask("t2").occurredAt("2025-06-01T14:02:00Z"));
            OutcomeResult.Decided big = app.record(aReport().forTask("t2").forSubscription("sub-big"));

            assertThat(over.recording()).isInstanceOf(OutcomeRecord.HeldForReview.class);
            assertThat(app.store.anomalies().get(0).capType()).isEqualTo(CapType.DAILY);
            assertThat(big.recording()).isInstanceOf(OutcomeRecord.Charged.class);
        }

        @Test
        void aDuplicateOverTheCapIsADuplicateNotAnAnomaly() {
            app.withPolicy(p -> p.withCaps(GuardrailCaps.of(1, 0)));
            app.record(aReport().withCorrelationId("c1"));

            OutcomeResult.Decided retry = app.record(aReport().withCorrelationId("c2"));

            assertThat(retry.recording()).isInstanceOf(OutcomeRecord.Duplicate.class);
            assertThat(app.store.anomalies()).isEmpty();
        }

        @Test
        void anAmbiguousOutcomeIsHeldWithoutAnAnomalyAndCountedNowhere() {
            OutcomeResult.Decided result = app.record(aReport().withCorrelationId("c1").handedOffToHuman());

            assertThat(result.recording()).isEqualTo(new OutcomeRecord.HeldForReview(CorrelationId.of("c1"), H14, false));
            assertThat(app.store.charge("c1").holdReasons()).containsExactly("human_handoff");
            assertThat(app.store.anomalies()).isEmpty();
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isZero();
            assertThat(app.store.capCounters()).isEmpty();
        }
    }

    @Nested
    class Replay {
        @Test
        void resendingACorrelationIdReturnsTheStoredResultMarkedReplayed() {
            OutcomeResult.Decided first = app.record(aReport().withCorrelationId("c1"));
            long ledger = app.store.ledger().size();

            // the same task and subscription; the evidence differs and is not evaluated again
            OutcomeResult.Decided replay = app.record(aReport().withCorrelationId("c1").failed());

            assertThat(replay).isEqualTo(new OutcomeResult.Decided(first.correlationId(), first.taskId(),
                    first.subscription(), first.decision(), first.recording(), true));
            assertThat(app.store.ledger()).hasSize((int) ledger);
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(1);
            assertThat(app.store.decisions()).hasSize(1);
        }

        @Test
        void aCorrelationIdBelongsToOneTaskAndSubscription() {
            app.record(aReport().withCorrelationId("c1"));

            assertThat(app.recordAny(aReport().withCorrelationId("c1").forTask("task-other")))
                    .isEqualTo(new CorrelationIdInUse(CorrelationId.of("c1")));
            assertThat(app.recordAny(aReport().withCorrelationId("c1").forSubscription("sub-other")))
                    .isEqualTo(new CorrelationIdInUse(CorrelationId.of("c1")));
            assertThat(app.store.decisions()).hasSize(1);
            assertThat(app.store.ledger()).hasSize(1);
        }

        @Test
        void aReplayedDuplicateStillNamesTheOriginal() {
            app.record(aReport().withCorrelationId("c1"));
            app.record(aReport().withCorrelationId("c2"));

            OutcomeResult.Decided replay = app.record(aReport().withCorrelationId("c2"));

            assertThat(replay.replayed()).isTrue();
            assertThat(replay.recording()).isEqualTo(
                    new OutcomeRecord.Duplicate(CorrelationId.of("c2"), CorrelationId.of("c1")));
        }
    }

    @Nested
    class LateOutcomes {
        @Test
        void anOutcomeArrivingAfterItsHourClosedIsBilledLateInTheOldestOpenHour() {
            app.at("2025-06-01T15:20:00Z");

            OutcomeResult.Decided late = app.record(aReport().withCorrelationId("c1").occurredAt("2025-06-01T14:50:00Z"));

            assertThat(late.recording()).isEqualTo(new OutcomeRecord.Charged(CorrelationId.of("c1"), H14.next(), true));
            assertThat(app.store.charge("c1").occurredAt()).isEqualTo(Instant.parse("2025-06-01T14:50:00Z"));
            assertThat(app.store.bucket(CONTOSO_H15).quantity()).isEqualTo(1);
            assertThat(app.store.buckets()).doesNotContainKey(CONTOSO_H14);
        }

        @Test
        void anOutcomeForAnHourAnotherInstanceAlreadyClosedMovesToTheNextHour() {
            app.record(aReport().withCorrelationId("c1"));
            app.at("2025-06-01T15:10:00Z").closeHours();
            app.at("2025-06-01T15:05:00Z"); // this instance's clock is behind: 14:00 still looks open

            OutcomeResult.Decided result = app.record(aReport().withCorrelationId("c2").forTask("t2")
                    .occurredAt("2025-06-01T14:59:00Z"));

            assertThat(result.recording()).isEqualTo(new OutcomeRecord.Charged(CorrelationId.of("c2"), H14.next(), true));
            assertThat(app.store.charge("c2").billingHour()).isEqualTo(H14.next());
            assertThat(app.store.bucket(CONTOSO_H14)).isEqualTo(new HourBucket(CONTOSO_H14, 1, true));
            assertThat(app.store.outboxRow(CONTOSO_H14).event().quantity()).isEqualTo(1);
        }

        @Test
        void anOutcomeTooFarInTheFutureIsRefusedNamingOccurredAtAndNothingIsStored() {
            assertThat(app.recordAny(aReport().withCorrelationId("c1").occurredAt("2025-06-01T14:35:01Z")))
                    .isInstanceOfSatisfying(InvalidReport.class, e -> assertThat(e.field()).isEqualTo("occurred_at"));
            assertThat(app.store.decisions()).isEmpty();
            assertThat(app.record(aReport().withCorrelationId("c2").occurredAt("2025-06-01T14:35:00Z")).recording())
                    .isInstanceOf(OutcomeRecord.Charged.class);
        }
    }

    @Test
    void aFailureWhileStoringRollsTheWholeOutcomeBack() {
        app.store.failNext("append", new ConcurrentUpdateException("raced"));

        assertThatThrownBy(() -> app.record(aReport().withCorrelationId("c1").withUsage(1, 1, 1, 1)))
                .isInstanceOf(ConcurrentUpdateException.class);

        assertThat(app.store.decisions()).isEmpty();
        assertThat(app.store.charges()).isEmpty();
        assertThat(app.store.buckets()).isEmpty();
        assertThat(app.store.capCounters()).isEmpty();
        assertThat(app.store.usageRecords()).isEmpty();
        assertThat(app.record(aReport().withCorrelationId("c1")).replayed()).as("nothing was stored").isFalse();
    }
}
