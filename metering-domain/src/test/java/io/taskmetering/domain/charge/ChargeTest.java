package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import static io.taskmetering.domain.testdata.ChargeBuilder.aCharge;
import static io.taskmetering.domain.testdata.ChargeBuilder.aHeldCharge;
import static io.taskmetering.domain.testdata.ChargeBuilder.aQualifiedCharge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChargeTest {
    private static final BillingHour H14 = BillingHour.parse("2025-06-01T14:00:00Z");
    private static final BillingHour H15 = BillingHour.parse("2025-06-01T15:00:00Z");
    private static final Instant AT = Instant.parse("2025-06-01T14:40:00Z");

    @Nested
    class Creation {
        @Test
        void aQualifiedChargeIsCountedInItsHourAtVersionZero() {
            Charge charge = Charge.qualified(CorrelationId.of("corr-1"), aCharge().key(), AgentId.of("agent-alpha"),
                    Instant.parse("2025-06-01T14:05:00Z"), new HourAttribution(H14, false), AT);

            assertThat(charge.state()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(charge.counted()).isTrue();
            assertThat(charge.billingHour()).isEqualTo(H14);
            assertThat(charge.late()).isFalse();
            assertThat(charge.version()).isZero();
            assertThat(charge.updatedAt()).isEqualTo(AT);
            assertThat(charge.holdReasons()).isEmpty();
            assertThat(charge.originEntryId()).isEqualTo("corr-1#0");
        }

        @Test
        void aLateQualifiedChargeKeepsItsTrueTime() {
            Instant occurred = Instant.parse("2025-06-01T14:59:00Z");
            Charge charge = Charge.qualified(CorrelationId.of("corr-1"), aCharge().key(), AgentId.of("agent-alpha"),
                    occurred, new HourAttribution(H15, true), AT);

            assertThat(charge.occurredAt()).isEqualTo(occurred);
            assertThat(charge.billingHour()).isEqualTo(H15);
            assertThat(charge.late()).isTrue();
        }

        @Test
        void aHeldChargeIsCountedNowhereAndSaysWhy() {
            Charge charge = Charge.heldForReview(CorrelationId.of("corr-1"), aCharge().key(), AgentId.of("agent-alpha"),
                    AT, new HourAttribution(H14, false), List.of("cap_exceeded:hourly=2"), AT);

            assertThat(charge.state()).isEqualTo(ChargeState.PENDING_REVIEW);
            assertThat(charge.counted()).isFalse();
            assertThat(charge.holdReasons()).containsExactly("cap_exceeded:hourly=2");
            assertThatThrownBy(() -> Charge.heldForReview(CorrelationId.of("corr-1"), aCharge().key(),
                    AgentId.of("agent-alpha"), AT, new HourAttribution(H14, false), List.of(), AT))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refusesInconsistentStates() {
            assertThatThrownBy(() -> aHeldCharge().counted(true).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counted nowhere");
            assertThatThrownBy(() -> aQualifiedCharge().counted(false).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counted");
            assertThatThrownBy(() -> aCharge().inState(ChargeState.BILLABLE).counted(false).build())
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aQualifiedCharge().atVersion(-1).build())
                    .isInstanceOf(IllegalArgumentException.class);
            Charge disputed = aCharge().disputedFrom(ChargeState.QUALIFIED).build();
            assertThatThrownBy(() -> new Charge(disputed.correlationId(), disputed.key(), disputed.agentId(),
                    disputed.occurredAt(), disputed.billingHour(), false, ChargeState.DISPUTED, null, true, List.of(), 1,
                    AT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disputedFrom");
            assertThatThrownBy(() -> new Charge(disputed.correlationId(), disputed.key(), disputed.agentId(),
                    disputed.occurredAt(), disputed.billingHour(), false, ChargeState.QUALIFIED, ChargeState.QUALIFIED,
                    true, List.of(), 1, AT)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void holdReasonsAreCopied() {
            java.util.ArrayList<String> reasons = new java.util.ArrayList<>(List.of("human_handoff"));
            Charge charge = Charge.heldForReview(CorrelationId.of("c"), aCharge().key(), AgentId.of("a"), AT,
                    new HourAttribution(H14, false), reasons, AT);
            reasons.add("multiple_agents");

            assertThat(charge.holdReasons()).containsExactly("human_handoff");
        }
    }

    @Nested
    class Review {
        @Test
        void approvingCountsTheChargeInTheGivenHour() {
            Charge held = aHeldCharge().build();

            ChargeTransition t = held.approve(new HourAttribution(H14, false), AT);

            assertThat(t.action()).isEqualTo(ChargeAction.APPROVE);
            assertThat(t.before()).isSameAs(held);
            assertThat(t.after().state()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(t.after().counted()).isTrue();
            assertThat(t.after().billingHour()).isEqualTo(H14);
            assertThat(t.after().late()).isFalse();
            assertThat(t.after().version()).isEqualTo(1);
            assertThat(t.after().updatedAt()).isEqualTo(AT);
            assertThat(t.after().holdReasons()).isEqualTo(held.holdReasons());
            assertThat(t.countDelta()).isEqualTo(1);
            assertThat(t.entryType()).isEqualTo(LedgerEntryType.STATE_CHANGE);
        }

        @Test
        void approvingAfterTheHourClosedCountsItLateInTheOldestOpenHour() {
            ChargeTransition t = aHeldCharge().build().approve(new HourAttribution(H15, true), AT);

            assertThat(t.after().billingHour()).isEqualTo(H15);
            assertThat(t.after().late()).isTrue();
            assertThat(t.after().occurredAt()).isEqualTo(aHeldCharge().build().occurredAt());
        }

        @Test
        void aChargeThatWasLateStaysLateWhenApprovedInItsHeldHour() {
            ChargeTransition t = aHeldCharge().inHour(H15).late(true).build().approve(new HourAttribution(H15, false), AT);

            assertThat(t.after().late()).isTrue();
        }

        @Test
        void rejectingWaivesTheChargeWithoutCountingIt() {
            ChargeTransition t = aHeldCharge().build().reject(AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.WAIVED);
            assertThat(t.after().counted()).isFalse();
            assertThat(t.countDelta()).isZero();
            assertThat(t.entryType()).isEqualTo(LedgerEntryType.STATE_CHANGE);
            assertThat(t.after().version()).isEqualTo(1);
        }
    }

    @Nested
    class Invoicing {
        @Test
        void anAcceptedHourMakesItsQualifiedChargeBillableWithoutRecounting() {
            ChargeTransition t = aQualifiedCharge().build().invoice(AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.BILLABLE);
            assertThat(t.after().counted()).isTrue();
            assertThat(t.countDelta()).isZero();
            assertThat(t.after().billingHour()).isEqualTo(H14);
        }
    }

    @Nested
    class Disputes {
        @Test
        void aDisputeInAnOpenHourReleasesTheCharge() {
            ChargeTransition t = aQualifiedCharge().build().dispute(false, AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.DISPUTED);
            assertThat(t.after().disputedFrom()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(t.after().counted()).isFalse();
            assertThat(t.countDelta()).isEqualTo(-1);
        }

        @Test
        void aDisputeInAClosedHourKeepsTheChargeInItsFixedQuantity() {
            ChargeTransition t = aQualifiedCharge().build().dispute(true, AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.DISPUTED);
            assertThat(t.after().counted()).isTrue();
            assertThat(t.countDelta()).isZero();
        }

        @Test
        void aBillableChargeCanBeDisputedAndRemembersIt() {
            ChargeTransition t = aCharge().inState(ChargeState.BILLABLE).build().dispute(true, AT);

            assertThat(t.after().disputedFrom()).isEqualTo(ChargeState.BILLABLE);
            assertThat(t.after().counted()).isTrue();
            assertThat(t.countDelta()).isZero();
        }

        @Test
        void aBillableChargeIsNeverReleasedEvenIfTheCallerSaysItsHourIsOpen() {
            Charge billable = aCharge().inState(ChargeState.BILLABLE).build();

            ChargeTransition dispute = billable.dispute(false, AT);
            ChargeTransition uphold = dispute.after().uphold(false, new HourAttribution(H15, true), AT);

            assertThat(dispute.countDelta()).isZero();
            assertThat(dispute.after().counted()).isTrue();
            assertThat(uphold.after().state()).isEqualTo(ChargeState.BILLABLE);
            assertThat(uphold.after().billingHour()).as("never counted in a second hour").isEqualTo(H14);
            assertThat(uphold.countDelta()).isZero();
        }

        @Test
        void upholdingAReleasedChargeCountsItAgainInTheGivenHour() {
            Charge released = aQualifiedCharge().build().dispute(false, AT).after();

            ChargeTransition t = released.uphold(false, new HourAttribution(H15, true), AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(t.after().disputedFrom()).isNull();
            assertThat(t.after().counted()).isTrue();
            assertThat(t.after().billingHour()).isEqualTo(H15);
            assertThat(t.after().late()).isTrue();
            assertThat(t.countDelta()).isEqualTo(1);
        }

        @Test
        void upholdingAReleasedChargeInItsStillOpenHourKeepsItOnTime() {
            Charge released = aQualifiedCharge().build().dispute(false, AT).after();

            ChargeTransition t = released.uphold(false, new HourAttribution(H14, false), AT);

            assertThat(t.after().billingHour()).isEqualTo(H14);
            assertThat(t.after().late()).isFalse();
        }

        @Test
        void upholdingAChargeInAClosedHourNotYetInvoicedReturnsItToQualified() {
            Charge disputed = aQualifiedCharge().build().dispute(true, AT).after();

            ChargeTransition t = disputed.uphold(false, null, AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(t.after().counted()).isTrue();
            assertThat(t.after().billingHour()).isEqualTo(H14);
            assertThat(t.countDelta()).isZero();
        }

        @Test
        void upholdingAChargeWhoseHourWasInvoicedDuringTheDisputeMakesItBillable() {
            Charge disputed = aQualifiedCharge().build().dispute(true, AT).after();

            ChargeTransition t = disputed.uphold(true, null, AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.BILLABLE);
            assertThat(t.countDelta()).isZero();
        }

        @Test
        void upholdingADisputedBillableChargeReturnsItToBillable() {
            Charge disputed = aCharge().inState(ChargeState.BILLABLE).build().dispute(true, AT).after();

            assertThat(disputed.uphold(false, null, AT).after().state()).isEqualTo(ChargeState.BILLABLE);
        }

        @Test
        void reversingACountedChargeIsACreditOwed() {
            Charge disputed = aCharge().inState(ChargeState.BILLABLE).build().dispute(true, AT).after();

            ChargeTransition t = disputed.reverse(AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.REVERSED);
            assertThat(t.entryType()).isEqualTo(LedgerEntryType.CREDIT);
            assertThat(t.countDelta()).isZero();
            assertThat(t.after().counted()).isTrue();
        }

        @Test
        void reversingAReleasedChargeIsAPlainReversal() {
            Charge released = aQualifiedCharge().build().dispute(false, AT).after();

            ChargeTransition t = released.reverse(AT);

            assertThat(t.after().state()).isEqualTo(ChargeState.REVERSED);
            assertThat(t.entryType()).isEqualTo(LedgerEntryType.REVERSAL);
            assertThat(t.after().counted()).isFalse();
            assertThat(t.countDelta()).isZero();
        }
    }

    @Nested
    class IllegalTransitions {
        @ParameterizedTest
        @EnumSource(ChargeState.class)
        void everyOperationOutsideTheDiagramIsRefusedAndLeavesTheChargeAsItWas(ChargeState state) {
            Charge charge = aCharge().inState(state).build();
            Charge copy = aCharge().inState(state).build();
            List<Function<Charge, ChargeTransition>> operations = List.of(
                    c -> c.approve(new HourAttribution(H14, false), AT),
                    c -> c.reject(AT),
                    c -> c.invoice(AT),
                    c -> c.dispute(false, AT),
                    c -> c.uphold(false, new HourAttribution(H14, false), AT),
                    c -> c.reverse(AT));
            ChargeAction[] actions = {ChargeAction.APPROVE, ChargeAction.REJECT, ChargeAction.INVOICE,
                    ChargeAction.DISPUTE, ChargeAction.UPHOLD, ChargeAction.REVERSE};

            for (int i = 0; i < actions.length; i++) {
                ChargeAction action = actions[i];
                Function<Charge, ChargeTransition> operation = operations.get(i);
                if (ChargeStateMachine.allows(state, action)) {
                    assertThat(operation.apply(charge).after().version()).isEqualTo(charge.version() + 1);
                } else {
                    assertThatThrownBy(() -> operation.apply(charge))
                            .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                                assertThat(e.currentState()).isEqualTo(state);
                                assertThat(e.action()).isEqualTo(action);
                                assertThat(e.getMessage()).contains(state.name());
                            });
                }
                assertThat(charge).isEqualTo(copy);
            }
        }

        @Test
        void approvingAQualifiedChargeTwiceIsRefused() {
            Charge approved = aHeldCharge().build().approve(new HourAttribution(H14, false), AT).after();

            assertThatThrownBy(() -> approved.approve(new HourAttribution(H14, false), AT))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessage("cannot approve a charge in state QUALIFIED");
        }

        @Test
        void aHeldChargeCannotBeInvoicedOrDisputed() {
            Charge held = aHeldCharge().build();

            assertThatThrownBy(() -> held.invoice(AT)).hasMessage("cannot invoice a charge in state PENDING_REVIEW");
            assertThatThrownBy(() -> held.dispute(false, AT)).hasMessage("cannot dispute a charge in state PENDING_REVIEW");
        }
    }
}
