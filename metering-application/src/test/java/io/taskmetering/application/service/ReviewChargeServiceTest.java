package io.taskmetering.application.service;

import io.taskmetering.application.port.in.NotFoundException;
import io.taskmetering.application.port.in.ReviewChargeCommand;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.IllegalTransitionException;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.LedgerEntryType;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.Test;

import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H14;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H15;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.H14;
import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReviewChargeServiceTest {
    private final TestMetering app = new TestMetering();

    @Test
    void approvingAHeldChargeInAnOpenHourCountsItThere() {
        app.record(aReport().withCorrelationId("c1").handedOffToHuman());
        app.at("2025-06-01T14:40:00Z");

        Charge approved = app.approve("c1");

        assertThat(approved.state()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(approved.counted()).isTrue();
        assertThat(approved.billingHour()).isEqualTo(H14);
        assertThat(approved.late()).isFalse();
        assertThat(approved.version()).isEqualTo(1);
        assertThat(app.store.charge("c1")).isEqualTo(approved);
        assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(1);
        assertThat(app.store.capCounter(CapPeriod.hourOf(CONTOSO, H14))).isEqualTo(1);
        LedgerEntry entry = app.store.history(CorrelationId.of("c1")).get(1);
        assertThat(entry.entryId()).isEqualTo("c1#1");
        assertThat(entry.linkedEntryId()).isEqualTo("c1#0");
        assertThat(entry.type()).isEqualTo(LedgerEntryType.STATE_CHANGE);
        assertThat(entry.fromState()).isEqualTo(ChargeState.PENDING_REVIEW);
        assertThat(entry.toState()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(entry.actor()).isEqualTo("reviewer@contoso");
        assertThat(entry.reason()).isEqualTo("looks right");
        assertThat(entry.at()).isEqualTo(app.clock.instant());
    }

    @Test
    void approvingAfterItsHourClosedLandsLateInTheOldestOpenHour() {
        app.record(aReport().withCorrelationId("c0").forTask("t0"));
        app.record(aReport().withCorrelationId("c1").handedOffToHuman());
        app.at("2025-06-01T15:20:00Z").closeHours();

        Charge approved = app.approve("c1");

        assertThat(approved.billingHour()).isEqualTo(H14.next());
        assertThat(approved.late()).isTrue();
        assertThat(app.store.bucket(CONTOSO_H14)).isEqualTo(new HourBucket(CONTOSO_H14, 1, true));
        assertThat(app.store.bucket(CONTOSO_H15).quantity()).isEqualTo(1);
        assertThat(app.store.history(CorrelationId.of("c1")).get(1).hour()).isEqualTo(H14.next());
    }

    @Test
    void approvingAfterTheHourClosedByTheClockButBeforeTheCloseRanStillLandsInAnOpenHour() {
        app.record(aReport().withCorrelationId("c1").handedOffToHuman());
        app.at("2025-06-01T15:10:00Z");

        Charge approved = app.approve("c1");

        assertThat(approved.billingHour()).isEqualTo(H14.next());
        assertThat(approved.late()).isTrue();
        assertThat(app.store.buckets()).doesNotContainKey(CONTOSO_H14);
    }

    @Test
    void anApprovedChargeIsBilledUnderThePlanItWasReportedWith() {
        app.record(aReport().withCorrelationId("c1").withPlan("pro").handedOffToHuman());
        app.at("2025-06-01T15:20:00Z");
        app.approve("c1");

        app.at("2025-06-01T16:10:00Z").closeHours();

        assertThat(app.store.outboxRow(CONTOSO_H15).event()).isEqualTo(new UsageEvent(CONTOSO_H15, 1, PlanId.of("pro")));
    }

    @Test
    void approvingAChargeHeldAtACapDoesNotApplyTheCapAgain() {
        app.withPolicy(p -> p.withCaps(GuardrailCaps.of(1, 0)));
        app.record(aReport().withCorrelationId("c1").forTask("t1"));
        app.record(aReport().withCorrelationId("c2").forTask("t2"));

        Charge approved = app.approve("c2");

        assertThat(approved.state()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
        assertThat(app.store.capCounter(CapPeriod.hourOf(CONTOSO, H14))).isEqualTo(2);
    }

    @Test
    void rejectingWaivesTheChargeAndCountsNothing() {
        app.record(aReport().withCorrelationId("c1").handedOffToHuman());

        Charge rejected = app.reject("c1");

        assertThat(rejected.state()).isEqualTo(ChargeState.WAIVED);
        assertThat(rejected.counted()).isFalse();
        assertThat(app.store.bucket(CONTOSO_H14).quantity()).isZero();
        assertThat(app.store.capCounters()).isEmpty();
        assertThat(app.store.history(CorrelationId.of("c1"))).extracting(LedgerEntry::toState)
                .containsExactly(ChargeState.PENDING_REVIEW, ChargeState.WAIVED);
        app.at("2025-06-01T15:10:00Z");
        assertThat(app.closeHours().events()).isEmpty();
    }

    @Test
    void approvingAChargeThatIsNotHeldIsRefusedAndChangesNothing() {
        app.record(aReport().withCorrelationId("c1"));
        StoreSnapshot before = StoreSnapshot.of(app.store);

        assertThatThrownBy(() -> app.approve("c1"))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.currentState()).isEqualTo(ChargeState.QUALIFIED);
                    assertThat(e.getMessage()).isEqualTo("cannot approve a charge in state QUALIFIED");
                });

        assertThat(StoreSnapshot.of(app.store)).isEqualTo(before);
    }

    @Test
    void reviewingTwiceIsRefusedAndChangesNothing() {
        app.record(aReport().withCorrelationId("c1").handedOffToHuman());
        app.reject("c1");
        StoreSnapshot before = StoreSnapshot.of(app.store);

        assertThatThrownBy(() -> app.approve("c1")).isInstanceOfSatisfying(IllegalTransitionException.class,
                e -> assertThat(e.currentState()).isEqualTo(ChargeState.WAIVED));
        assertThatThrownBy(() -> app.reject("c1")).isInstanceOf(IllegalTransitionException.class);

        assertThat(StoreSnapshot.of(app.store)).isEqualTo(before);
    }

    @Test
    void anUnknownChargeIsNotFound() {
        assertThatThrownBy(() -> app.approve("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
    }

    @Test
    void theCommandNamesWhatIsMissing() {
        assertThatThrownBy(() -> new ReviewChargeCommand(null, ReviewChargeCommand.Verdict.APPROVE, "a", null))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("correlation_id"));
        assertThatThrownBy(() -> new ReviewChargeCommand(CorrelationId.of("c"), null, "a", null))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("verdict"));
        assertThatThrownBy(() -> new ReviewChargeCommand(CorrelationId.of("c"), ReviewChargeCommand.Verdict.REJECT, " ",
                null)).isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("actor"));
    }
}
