package io.taskmetering.domain.meter;

import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapLimits;
import io.taskmetering.domain.billing.CapType;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.LedgerEntryType;
import io.taskmetering.domain.charge.RecordingOutcome;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.testdata.ContosoScenario;
import io.taskmetering.domain.testdata.MutableClock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.taskmetering.domain.testdata.OutcomeBuilder.anOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutcomeMeterTest {
    private static final SubscriptionRef CONTOSO = SubscriptionRef.of(ContosoScenario.SUBSCRIPTION);
    private static final BillingHour H14 = BillingHour.parse("2025-06-01T14:00:00Z");
    private static final BillingHour H15 = H14.next();
    private static final BucketKey CONTOSO_H14 = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, H14);
    private static final BucketKey CONTOSO_H15 = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, H15);

    private final MutableClock clock = new MutableClock(ContosoScenario.DURING_HOUR);

    private OutcomeMeter.Builder meter() {
        return OutcomeMeter.builder().planId("basic").clock(clock);
    }

    @Nested
    class Contoso {
        private final OutcomeMeter meter = meter().build();
        private final List<MeteredOutcome> results = ContosoScenario.outcomes().stream().map(meter::record).toList();

        @Test
        void billsTheTwoTasksThatDeliveredAndExplainsTheOthers() {
            assertThat(results.get(0).recording()).isInstanceOf(RecordingOutcome.Recorded.class);
            assertThat(results.get(1).recording()).isInstanceOf(RecordingOutcome.Recorded.class);
            assertThat(results.get(2).recording()).isEqualTo(RecordingOutcome.NotBillable.INSTANCE);
            assertThat(results.get(2).decision().reasonCodes()).contains("terminal_success:failed");
            assertThat(results.get(3).recording()).isEqualTo(new RecordingOutcome.Duplicate(
                    ((RecordingOutcome.Recorded) results.get(0).recording()).charge().key(), CorrelationId.of("corr-1")));
            assertThat(results.get(4).recording()).isEqualTo(RecordingOutcome.NotBillable.INSTANCE);
            assertThat(results.get(4).decision().reasonCodes()).contains("output_validation:invalid=result");
            assertThat(results).extracting(MeteredOutcome::taskId).extracting(TaskId::value)
                    .containsExactly("task-001", "task-002", "task-003", "task-001", "task-005");
        }

        @Test
        void theBillableDecisionsPassEveryGate() {
            assertThat(results.get(0).decision().reasonCodes()).containsExactly("intent_resolution:skipped",
                    "terminal_success:passed", "required_outputs:skipped", "output_validation:passed", "approval:skipped");
            assertThat(results.get(0).decision().billableUnits()).isEqualTo(1);
            assertThat(results.get(2).decision().billableUnits()).isZero();
        }

        @Test
        void countsTheDuplicateAndTheHourQuantityBeforeClosing() {
            assertThat(meter.duplicates()).isEqualTo(1);
            assertThat(meter.quantity(CONTOSO_H14)).isEqualTo(2);
            assertThat(meter.charges()).extracting(Charge::state).containsOnly(ChargeState.QUALIFIED).hasSize(2);
            assertThat(meter.ledger()).extracting(LedgerEntry::entryId).containsExactly("corr-1#0", "corr-2#0");
            assertThat(meter.ledger()).extracting(LedgerEntry::type).containsOnly(LedgerEntryType.CHARGE);
            assertThat(meter.anomalies()).isEmpty();
        }

        @Test
        void closesTheHourIntoOneUsageEventOfQuantityTwoOnlyAfterTheGrace() {
            assertThat(meter.closeDueHours(Instant.parse("2025-06-01T15:09:59Z"))).isEmpty();

            List<UsageEvent> events = meter.closeDueHours(ContosoScenario.AFTER_GRACE);

            assertThat(events).hasSize(1);
            assertThat(events.get(0)).isEqualTo(ContosoScenario.EXPECTED_EVENT);
            assertThat(meter.usageEvents()).isEqualTo(events);
        }

        @Test
        void closingTwiceProducesNothingNew() {
            meter.closeDueHours(ContosoScenario.AFTER_GRACE);

            assertThat(meter.closeDueHours(ContosoScenario.AFTER_GRACE.plus(Duration.ofHours(3)))).isEmpty();
            assertThat(meter.usageEvents()).hasSize(1);
        }

        @Test
        void invoicingTheAcceptedHourMakesItsChargesBillableAndLedgersEachChange() {
            meter.closeDueHours(ContosoScenario.AFTER_GRACE);
            clock.setTo(ContosoScenario.AFTER_GRACE);

            List<Charge> invoiced = meter.invoice(CONTOSO_H14);

            assertThat(invoiced).extracting(Charge::state).containsOnly(ChargeState.BILLABLE).hasSize(2);
            assertThat(meter.charges()).extracting(Charge::state).containsOnly(ChargeState.BILLABLE);
            assertThat(meter.ledger()).extracting(LedgerEntry::entryId)
                    .containsExactly("corr-1#0", "corr-2#0", "corr-1#1", "corr-2#1");
            assertThat(meter.ledger().subList(2, 4)).extracting(LedgerEntry::linkedEntryId)
                    .containsExactly("corr-1#0", "corr-2#0");
            assertThat(meter.invoice(CONTOSO_H14)).isEmpty();
        }
    }

    @Nested
    class Replay {
        @Test
        void resendingACorrelationIdReturnsTheFirstAnswerWithoutEvaluatingAgain() {
            OutcomeMeter meter = meter().build();
            MeteredOutcome first = meter.record(anOutcome().withCorrelationId("corr-1").build());

            MeteredOutcome replay = meter.record(anOutcome().withCorrelationId("corr-1").forTask("task-other").failed()
                    .build());

            assertThat(replay).isEqualTo(first);
            assertThat(meter.duplicates()).isZero();
            assertThat(meter.charges()).hasSize(1);
            assertThat(meter.quantity(CONTOSO_H14)).isEqualTo(1);
        }

        @Test
        void outcomesWithoutACorrelationIdGetDistinctGeneratedOnes() {
            OutcomeMeter meter = meter().build();

            MeteredOutcome a = meter.record(anOutcome().forTask("task-a").build());
            MeteredOutcome b = meter.record(anOutcome().forTask("task-b").build());

            assertThat(a.correlationId()).isNotNull().isNotEqualTo(b.correlationId());
        }

        @Test
        void aFailedAttemptFollowedByASuccessfulRetryBillsOnce() {
            OutcomeMeter meter = meter().build();

            MeteredOutcome failed = meter.record(anOutcome().withCorrelationId("try-1").failed().build());
            MeteredOutcome retry = meter.record(anOutcome().withCorrelationId("try-2").build());
            MeteredOutcome again = meter.record(anOutcome().withCorrelationId("try-3").build());

            assertThat(failed.recording()).isEqualTo(RecordingOutcome.NotBillable.INSTANCE);
            assertThat(retry.recording()).isInstanceOf(RecordingOutcome.Recorded.class);
            assertThat(again.recording()).isInstanceOfSatisfying(RecordingOutcome.Duplicate.class,
                    d -> assertThat(d.originalCorrelationId()).isEqualTo(CorrelationId.of("try-2")));
            assertThat(meter.quantity(CONTOSO_H14)).isEqualTo(1);
            assertThat(meter.duplicates()).isEqualTo(1);
        }

        @Test
        void aFailedReportAfterTheChargeIsNotCountedAsADuplicate() {
            OutcomeMeter meter = meter().build();
            meter.record(anOutcome().withCorrelationId("ok").build());

            MeteredOutcome failedLater = meter.record(anOutcome().withCorrelationId("failed").failed().build());

            assertThat(failedLater.recording()).isEqualTo(RecordingOutcome.NotBillable.INSTANCE);
            assertThat(meter.duplicates()).isZero();
        }
    }

    @Nested
    class Caps {
        @Test
        void anOutcomeOverTheHourlyCapIsHeldForReviewWithAnAnomaly() {
            OutcomeMeter meter = meter().caps(GuardrailCaps.of(2, 0)).build();
            meter.record(anOutcome().withCorrelationId("c1").forTask("task-1").build());
            meter.record(anOutcome().withCorrelationId("c2").forTask("task-2").build());

            MeteredOutcome third = meter.record(anOutcome().withCorrelationId("c3").forTask("task-3").build());

            RecordingOutcome.HeldForReview held = (RecordingOutcome.HeldForReview) third.recording();
            assertThat(held.charge().state()).isEqualTo(ChargeState.PENDING_REVIEW);
            assertThat(held.charge().counted()).isFalse();
            assertThat(held.charge().holdReasons()).containsExactly("cap_exceeded:hourly=2");
            Anomaly anomaly = held.anomaly();
            assertThat(anomaly.type()).isEqualTo(AnomalyType.CAP_EXCEEDED);
            assertThat(anomaly.subscription()).isEqualTo(CONTOSO);
            assertThat(anomaly.capType()).isEqualTo(CapType.HOURLY);
            assertThat(anomaly.capValue()).isEqualTo(2L);
            assertThat(anomaly.actualValue()).isEqualTo(3L);
            assertThat(anomaly.taskId()).isEqualTo(TaskId.of("task-3"));
            assertThat(anomaly.correlationId()).isEqualTo(CorrelationId.of("c3"));
            assertThat(anomaly.occurredAt()).isEqualTo(clock.instant());
            assertThat(meter.anomalies()).containsExactly(anomaly);
            assertThat(meter.quantity(CONTOSO_H14)).isEqualTo(2);
            assertThat(meter.ledger()).filteredOn(e -> e.entryId().equals("c3#0"))
                    .extracting(LedgerEntry::toState).containsExactly(ChargeState.PENDING_REVIEW);
        }

        @Test
        void theDailyCapCountsAcrossHoursOfTheUtcDay() {
            OutcomeMeter meter = meter().caps(GuardrailCaps.of(0, 2)).grace(Duration.ofHours(23)).build();
            clock.setTo("2025-06-01T23:30:00Z");
            meter.record(anOutcome().forTask("t1").occurredAt("2025-06-01T01:00:00Z").build());
            meter.record(anOutcome().forTask("t2").occurredAt("2025-06-01T12:00:00Z").build());

            MeteredOutcome third = meter.record(anOutcome().forTask("t3").occurredAt("2025-06-01T23:10:00Z").build());
            clock.setTo("2025-06-02T00:05:00Z");
            MeteredOutcome nextDay = meter.record(anOutcome().forTask("t4").occurredAt("2025-06-02T00:01:00Z").build());

            assertThat(((RecordingOutcome.HeldForReview) third.recording()).anomaly().capType()).isEqualTo(CapType.DAILY);
            assertThat(((RecordingOutcome.HeldForReview) third.recording()).anomaly().actualValue()).isEqualTo(3L);
            assertThat(nextDay.recording()).isInstanceOf(RecordingOutcome.Recorded.class);
        }

        @Test
        void aSubscriptionOverrideAppliesOnlyToThatSubscription() {
            GuardrailCaps caps = GuardrailCaps.of(1, 0).withOverride(CONTOSO, CapLimits.UNLIMITED);
            OutcomeMeter meter = meter().caps(caps).build();

            meter.record(anOutcome().forTask("t1").build());
            MeteredOutcome contosoSecond = meter.record(anOutcome().forTask("t2").build());
            meter.record(anOutcome().forTask("t1").forSubscription("sub-fabrikam").build());
            MeteredOutcome fabrikamSecond = meter.record(anOutcome().forTask("t2").forSubscription("sub-fabrikam").build());

            assertThat(contosoSecond.recording()).isInstanceOf(RecordingOutcome.Recorded.class);
            assertThat(fabrikamSecond.recording()).isInstanceOf(RecordingOutcome.HeldForReview.class);
        }

        @Test
        void duplicatesAreCheckedBeforeCaps() {
            OutcomeMeter meter = meter().caps(GuardrailCaps.of(1, 0)).build();
            meter.record(anOutcome().withCorrelationId("c1").build());

            MeteredOutcome retry = meter.record(anOutcome().withCorrelationId("c2").build());

            assertThat(retry.recording()).isInstanceOf(RecordingOutcome.Duplicate.class);
            assertThat(meter.anomalies()).isEmpty();
        }

        @Test
        void aHeldChargeDoesNotUseUpTheCap() {
            OutcomeMeter meter = meter().caps(GuardrailCaps.of(1, 0)).build();
            meter.record(anOutcome().forTask("t0").handedOffToHuman().build());

            MeteredOutcome first = meter.record(anOutcome().forTask("t1").build());

            assertThat(first.recording()).isInstanceOf(RecordingOutcome.Recorded.class);
        }
    }

    @Nested
    class Ambiguity {
        @Test
        void aHumanHandOffIsHeldForReviewWithoutAnAnomalyAndCountedNowhere() {
            OutcomeMeter meter = meter().build();

            MeteredOutcome result = meter.record(anOutcome().withCorrelationId("c1").handedOffToHuman().build());

            RecordingOutcome.HeldForReview held = (RecordingOutcome.HeldForReview) result.recording();
            assertThat(held.anomaly()).isNull();
            assertThat(held.charge().holdReasons()).containsExactly("human_handoff");
            assertThat(meter.quantity(CONTOSO_H14)).isZero();
            assertThat(meter.closeDueHours(ContosoScenario.AFTER_GRACE)).isEmpty();
        }

        @Test
        void aContractThatDoesNotHoldAmbiguityChargesAtOnce() {
            OutcomeMeter meter = meter().contract(ContractConfig.defaults().withHoldAmbiguousForReview(false)
                    .withVersion("no-hold")).build();

            MeteredOutcome result = meter.record(anOutcome().handedOffToHuman().build());

            assertThat(result.recording()).isInstanceOf(RecordingOutcome.Recorded.class);
            assertThat(meter.ledger().get(0).ruleVersion()).isEqualTo("no-hold");
        }
    }

    @Nested
    class LateOutcomes {
        @Test
        void anOutcomeArrivingAfterItsHourClosedIsBilledLateInTheOldestOpenHour() {
            OutcomeMeter meter = meter().build();
            meter.record(anOutcome().withCorrelationId("on-time").forTask("t1").build());
            clock.setTo("2025-06-01T15:20:00Z");
            List<UsageEvent> firstClose = meter.closeDueHours();

            MeteredOutcome late = meter.record(anOutcome().withCorrelationId("late").forTask("t2")
                    .occurredAt("2025-06-01T14:58:00Z").build());

            Charge charge = ((RecordingOutcome.Recorded) late.recording()).charge();
            assertThat(charge.billingHour()).isEqualTo(H15);
            assertThat(charge.late()).isTrue();
            assertThat(charge.occurredAt()).isEqualTo(Instant.parse("2025-06-01T14:58:00Z"));
            assertThat(firstClose).extracting(UsageEvent::quantity).containsExactly(1L);
            assertThat(meter.quantity(CONTOSO_H14)).isEqualTo(1);
            assertThat(meter.quantity(CONTOSO_H15)).isEqualTo(1);
            clock.setTo("2025-06-01T16:10:00Z");
            assertThat(meter.closeDueHours()).extracting(e -> e.key().hour(), UsageEvent::quantity)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(H15, 1L));
        }

        @Test
        void anOutcomeForAnHourAlreadyClosedInTheMeterMovesToTheNextHour() {
            OutcomeMeter meter = meter().build();
            meter.record(anOutcome().forTask("t1").build());
            meter.closeDueHours(ContosoScenario.AFTER_GRACE);
            // The meter's clock is still within the grace of 14:00, but the hour is closed already.
            clock.setTo("2025-06-01T15:05:00Z");

            MeteredOutcome result = meter.record(anOutcome().forTask("t2").occurredAt("2025-06-01T14:59:00Z").build());

            Charge charge = ((RecordingOutcome.Recorded) result.recording()).charge();
            assertThat(charge.billingHour()).isEqualTo(H15);
            assertThat(charge.late()).isTrue();
            assertThat(meter.usageEvents()).extracting(UsageEvent::quantity).containsExactly(1L);
        }

        @Test
        void anOutcomeTooFarInTheFutureIsRefusedNamingOccurredAtAndNothingIsRecorded() {
            OutcomeMeter meter = meter().build();

            assertThatThrownBy(() -> meter.record(anOutcome().withCorrelationId("future")
                    .occurredAt(clock.instant().plus(Duration.ofMinutes(6))).build()))
                    .isInstanceOfSatisfying(InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo("occurred_at"));
            assertThat(meter.charges()).isEmpty();
            assertThat(meter.record(anOutcome().withCorrelationId("future").build()).recording())
                    .isInstanceOf(RecordingOutcome.Recorded.class);
        }
    }

    @Nested
    class DedupeAcrossHours {
        private final MeteredOutcome[] results = new MeteredOutcome[2];

        private OutcomeMeter retryAcrossTheHour(DedupeScope scope) {
            OutcomeMeter meter = meter().dedupeScope(scope).build();
            clock.setTo("2025-06-01T14:59:30Z");
            results[0] = meter.record(anOutcome().withCorrelationId("first").occurredAt("2025-06-01T14:59:00Z").build());
            clock.setTo("2025-06-01T15:01:30Z");
            results[1] = meter.record(anOutcome().withCorrelationId("retry").occurredAt("2025-06-01T15:01:00Z").build());
            return meter;
        }

        @Test
        void taskScopeBillsARetryThatCrossesAnHourOnce() {
            OutcomeMeter meter = retryAcrossTheHour(DedupeScope.TASK);

            assertThat(results[1].recording()).isInstanceOf(RecordingOutcome.Duplicate.class);
            assertThat(meter.charges()).hasSize(1);
            assertThat(meter.closeDueHours(Instant.parse("2025-06-01T17:00:00Z"))).extracting(UsageEvent::quantity)
                    .containsExactly(1L);
        }

        @Test
        void hourScopeBillsItTwiceAsTheReferenceLibraryDid() {
            OutcomeMeter meter = retryAcrossTheHour(DedupeScope.HOUR);

            assertThat(results[1].recording()).isInstanceOf(RecordingOutcome.Recorded.class);
            assertThat(meter.charges()).hasSize(2);
            assertThat(meter.closeDueHours(Instant.parse("2025-06-01T17:00:00Z")))
                    .extracting(e -> e.key().hour(), UsageEvent::quantity)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(H14, 1L),
                            org.assertj.core.groups.Tuple.tuple(H15, 1L));
        }

        @Test
        void hourScopeStillSuppressesARetryWithinTheSameHour() {
            OutcomeMeter meter = meter().dedupeScope(DedupeScope.HOUR).build();
            meter.record(anOutcome().withCorrelationId("a").occurredAt("2025-06-01T14:10:00Z").build());

            MeteredOutcome retry = meter.record(anOutcome().withCorrelationId("b").occurredAt("2025-06-01T14:40:00Z")
                    .build());

            assertThat(retry.recording()).isInstanceOf(RecordingOutcome.Duplicate.class);
            assertThat(meter.duplicates()).isEqualTo(1);
        }
    }

    @Nested
    class Configuration {
        @Test
        void dimensionAndPlanAppearInTheUsageEvent() {
            OutcomeMeter meter = meter().dimension("summaries").planId("pro").build();
            meter.record(anOutcome().build());

            List<UsageEvent> events = meter.closeDueHours(ContosoScenario.AFTER_GRACE);

            assertThat(meter.dimension()).isEqualTo(Dimension.of("summaries"));
            assertThat(events.get(0).dimension()).isEqualTo("summaries");
            assertThat(events.get(0).planId()).isEqualTo(PlanId.of("pro"));
        }

        @Test
        void aLongerGraceKeepsTheHourOpenLonger() {
            OutcomeMeter meter = meter().grace(Duration.ofMinutes(30)).build();
            meter.record(anOutcome().build());

            assertThat(meter.closeDueHours(Instant.parse("2025-06-01T15:29:59Z"))).isEmpty();
            assertThat(meter.closeDueHours(Instant.parse("2025-06-01T15:30:00Z"))).hasSize(1);
        }

        @Test
        void eachSubscriptionGetsItsOwnEvent() {
            OutcomeMeter meter = meter().build();
            meter.record(anOutcome().forSubscription("sub-b").build());
            meter.record(anOutcome().forSubscription("sub-a").build());
            meter.record(anOutcome().forSubscription("sub-a").forTask("task-2").build());

            assertThat(meter.closeDueHours(ContosoScenario.AFTER_GRACE))
                    .extracting(UsageEvent::resourceId, UsageEvent::quantity)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("sub-a", 2L),
                            org.assertj.core.groups.Tuple.tuple("sub-b", 1L));
        }

        @Test
        void refusesInvalidSettingsNamingTheField() {
            assertThatThrownBy(() -> OutcomeMeter.builder().planId(" "))
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("plan_id"));
            assertThatThrownBy(() -> OutcomeMeter.builder().grace(Duration.ofHours(24)))
                    .isInstanceOfSatisfying(InvalidValueException.class,
                            e -> assertThat(e.field()).isEqualTo("hour_grace"));
        }

        @Test
        void anEvidenceWithoutOutputsIsNeverBillable() {
            OutcomeMeter meter = meter().build();

            MeteredOutcome result = meter.record(anOutcome().withEvidence(
                    io.taskmetering.domain.evaluation.Evidence.empty()).build());

            assertThat(result.recording()).isEqualTo(RecordingOutcome.NotBillable.INSTANCE);
            assertThat(result.decision().reasonCodes()).contains("terminal_success:failed");
        }
    }
}
