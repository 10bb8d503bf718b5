package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.testdata.ChargeBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taskmetering.domain.charge.ChargeState.BILLABLE;
import static io.taskmetering.domain.charge.ChargeState.DISPUTED;
import static io.taskmetering.domain.charge.ChargeState.PENDING_REVIEW;
import static io.taskmetering.domain.charge.ChargeState.QUALIFIED;
import static io.taskmetering.domain.charge.ChargeState.REVERSED;
import static io.taskmetering.domain.charge.ChargeState.WAIVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Billing property (c): every reachable state sequence is legal. Random actions (with random hour facts) are applied
 * to a charge: every accepted step is an edge of the state diagram of docs/billing.md, every refused step throws
 * {@link IllegalTransitionException} naming the current state and changes nothing, terminal states accept nothing,
 * and the counting bookkeeping ({@code countDelta}, {@code counted}, ledger ids) stays consistent along the way.
 */
class ChargeLifecyclePropertiesTest {
    /** The state diagram of docs/billing.md (section 2) as (from → reachable states), written independently of the production table. */
    private static final Map<ChargeState, Set<ChargeState>> EDGES = Map.of(
            PENDING_REVIEW, EnumSet.of(QUALIFIED, WAIVED),
            QUALIFIED, EnumSet.of(BILLABLE, DISPUTED),
            BILLABLE, EnumSet.of(DISPUTED),
            DISPUTED, EnumSet.of(QUALIFIED, BILLABLE, REVERSED),
            REVERSED, EnumSet.noneOf(ChargeState.class),
            WAIVED, EnumSet.noneOf(ChargeState.class));
    private static final Instant START = Instant.parse("2025-06-01T14:06:00Z");

    /** One generated step: an action plus the facts the caller would know (hour closed, hour invoiced, later hour). */
    record Step(ChargeAction action, boolean hourClosed, boolean hourInvoiced, int hoursLater, boolean late) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(ChargeAction.class), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 2), Arbitraries.of(true, false))
                .as(Step::new);
        return step.list().ofMaxSize(14);
    }

    @Property(tries = 2000)
    void everyReachableStateSequenceIsLegal(@ForAll boolean startHeld, @ForAll("steps") List<Step> steps) {
        Charge charge = (startHeld ? ChargeBuilder.aHeldCharge() : ChargeBuilder.aQualifiedCharge())
                .withCorrelationId("corr-p").updatedAt(START).build();
        List<ChargeState> path = new ArrayList<>(List.of(charge.state()));
        boolean invoiced = false;
        Instant at = START;

        for (Step step : steps) {
            at = at.plus(Duration.ofMinutes(1));
            Charge before = charge;
            boolean allowed = ChargeStateMachine.allows(before.state(), step.action());
            if (before.state().terminal()) {
                assertThat(allowed).as("a terminal state accepts nothing").isFalse();
            }
            if (!allowed) {
                Instant when = at;
                assertThatThrownBy(() -> apply(before, step, when))
                        .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                            assertThat(e.currentState()).isEqualTo(before.state());
                            assertThat(e.action()).isEqualTo(step.action());
                            assertThat(e.getMessage()).contains(before.state().name());
                        });
                assertThat(charge).as("a refused step changes nothing").isSameAs(before);
                continue;
            }
            ChargeTransition t;
            try {
                t = apply(before, step, at);
            } catch (IllegalTransitionException e) {
                throw new AssertionError("a legal step was refused: " + step + " from " + before.state(), e);
            }
            Charge after = t.after();
            assertThat(EDGES.get(before.state())).as("%s --%s--> %s", before.state(), step.action(), after.state())
                    .contains(after.state());
            assertThat(t.before()).isSameAs(before);
            assertThat(t.action()).isEqualTo(step.action());
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(after.updatedAt()).isEqualTo(at);
            assertThat(after.correlationId()).isEqualTo(before.correlationId());
            assertThat(after.key()).isEqualTo(before.key());
            assertThat(after.occurredAt()).isEqualTo(before.occurredAt());
            assertThat(t.countDelta()).as("countDelta follows the counted flag")
                    .isEqualTo((after.counted() ? 1 : 0) - (before.counted() ? 1 : 0));
            if (before.counted() && after.counted()) {
                assertThat(after.billingHour()).as("a counted charge never changes hour").isEqualTo(before.billingHour());
            }
            if (before.late()) {
                assertThat(after.late()).as("late stays late").isTrue();
            }
            if (invoiced) {
                assertThat(after.counted()).as("an invoiced charge stays in its invoiced hour").isTrue();
            }
            LedgerEntry entry = LedgerEntry.of(t, "actor", null, "rules-v1");
            assertThat(entry.entryId()).isEqualTo("corr-p#" + after.version());
            assertThat(entry.linkedEntryId()).isEqualTo("corr-p#0");
            assertThat(entry.fromState()).isEqualTo(before.state());
            assertThat(entry.toState()).isEqualTo(after.state());
            assertThat(entry.type()).isEqualTo(step.action() != ChargeAction.REVERSE ? LedgerEntryType.STATE_CHANGE
                    : before.counted() ? LedgerEntryType.CREDIT : LedgerEntryType.REVERSAL);
            invoiced |= after.state() == BILLABLE;
            charge = after;
            path.add(after.state());
        }

        for (int i = 1; i < path.size(); i++) {
            assertThat(EDGES.get(path.get(i - 1))).contains(path.get(i));
        }
        Statistics.label("final state").collect(charge.state());
        Statistics.label("final state").coverage(coverage -> {
            for (ChargeState state : ChargeState.values()) {
                coverage.check(state).percentage(p -> p > 1);
            }
        });
    }

    /**
     * Applies a step as a caller would: approve and uphold of a released charge land in the charge's hour or a later
     * one; an invoiced charge's hour is always closed and invoiced, whatever the generated facts say otherwise.
     */
    private static ChargeTransition apply(Charge charge, Step step, Instant at) {
        BillingHour hour = charge.billingHour();
        for (int i = 0; i < step.hoursLater(); i++) {
            hour = hour.next();
        }
        HourAttribution attribution = new HourAttribution(hour, step.late() || step.hoursLater() > 0);
        return switch (step.action()) {
            case APPROVE -> charge.approve(attribution, at);
            case REJECT -> charge.reject(at);
            case INVOICE -> charge.invoice(at);
            case DISPUTE -> charge.dispute(step.hourClosed(), at);
            case UPHOLD -> charge.uphold(step.hourInvoiced(), attribution, at);
            case REVERSE -> charge.reverse(at);
        };
    }

    @Property(tries = 200)
    void aTerminalChargeRefusesEveryAction(@ForAll boolean waived, @ForAll ChargeAction action) {
        Charge terminal = ChargeBuilder.aCharge().inState(waived ? WAIVED : REVERSED).build();
        Step step = new Step(action, false, false, 0, false);

        assertThatThrownBy(() -> apply(terminal, step, START))
                .isInstanceOfSatisfying(IllegalTransitionException.class,
                        e -> assertThat(e.currentState()).isEqualTo(terminal.state()));
        if (ChargeStateMachine.allows(terminal.state(), action)) {
            fail("terminal state " + terminal.state() + " allows " + action);
        }
    }
}
