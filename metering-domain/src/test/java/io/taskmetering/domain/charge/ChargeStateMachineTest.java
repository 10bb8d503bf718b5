package io.taskmetering.domain.charge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.taskmetering.domain.charge.ChargeAction.APPROVE;
import static io.taskmetering.domain.charge.ChargeAction.DISPUTE;
import static io.taskmetering.domain.charge.ChargeAction.INVOICE;
import static io.taskmetering.domain.charge.ChargeAction.REJECT;
import static io.taskmetering.domain.charge.ChargeAction.REVERSE;
import static io.taskmetering.domain.charge.ChargeAction.UPHOLD;
import static io.taskmetering.domain.charge.ChargeState.BILLABLE;
import static io.taskmetering.domain.charge.ChargeState.DISPUTED;
import static io.taskmetering.domain.charge.ChargeState.PENDING_REVIEW;
import static io.taskmetering.domain.charge.ChargeState.QUALIFIED;
import static io.taskmetering.domain.charge.ChargeState.REVERSED;
import static io.taskmetering.domain.charge.ChargeState.WAIVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state diagram of docs/billing.md (section 2), written out here independently of the production table. */
class ChargeStateMachineTest {
    /** (from, action) → to; UPHOLD is listed with its QUALIFIED target, BILLABLE is checked separately. */
    private static final Map<ChargeState, Map<ChargeAction, ChargeState>> LEGAL = Map.of(
            PENDING_REVIEW, Map.of(APPROVE, QUALIFIED, REJECT, WAIVED),
            QUALIFIED, Map.of(INVOICE, BILLABLE, DISPUTE, DISPUTED),
            BILLABLE, Map.of(DISPUTE, DISPUTED),
            DISPUTED, Map.of(UPHOLD, QUALIFIED, REVERSE, REVERSED),
            REVERSED, Map.of(),
            WAIVED, Map.of());

    static Stream<Arguments> legalTransitions() {
        List<Arguments> arguments = new ArrayList<>();
        LEGAL.forEach((from, actions) -> actions.forEach((action, to) -> arguments.add(Arguments.of(from, action, to))));
        return arguments.stream();
    }

    static Stream<Arguments> illegalTransitions() {
        List<Arguments> arguments = new ArrayList<>();
        for (ChargeState from : ChargeState.values()) {
            for (ChargeAction action : ChargeAction.values()) {
                if (!LEGAL.get(from).containsKey(action)) {
                    arguments.add(Arguments.of(from, action));
                }
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("legalTransitions")
    void everyLegalTransitionLeadsWhereTheDiagramSays(ChargeState from, ChargeAction action, ChargeState to) {
        assertThat(ChargeStateMachine.allows(from, action)).isTrue();
        assertThat(ChargeStateMachine.sources(action)).contains(from);
        assertThat(ChargeStateMachine.next(from, action, QUALIFIED)).isEqualTo(to);
    }

    @ParameterizedTest(name = "{1} from {0} is refused")
    @MethodSource("illegalTransitions")
    void everyIllegalTransitionIsRefusedNamingTheCurrentState(ChargeState from, ChargeAction action) {
        assertThat(ChargeStateMachine.allows(from, action)).isFalse();
        assertThatThrownBy(() -> ChargeStateMachine.next(from, action, QUALIFIED))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.currentState()).isEqualTo(from);
                    assertThat(e.action()).isEqualTo(action);
                    assertThat(e.getMessage()).isEqualTo("cannot " + action.wireName() + " a charge in state " + from);
                });
    }

    @Test
    void sevenActionsAreLegalFromTheirStatesAndTheOther29AreNot() {
        assertThat(legalTransitions().count()).isEqualTo(7);
        assertThat(illegalTransitions().count()).isEqualTo(29);
    }

    @Test
    void aDisputeIsUpheldBackToQualifiedOrBillableOnly() {
        assertThat(ChargeStateMachine.next(DISPUTED, UPHOLD, QUALIFIED)).isEqualTo(QUALIFIED);
        assertThat(ChargeStateMachine.next(DISPUTED, UPHOLD, BILLABLE)).isEqualTo(BILLABLE);
        for (ChargeState other : EnumSet.complementOf(EnumSet.of(QUALIFIED, BILLABLE))) {
            assertThatThrownBy(() -> ChargeStateMachine.next(DISPUTED, UPHOLD, other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(other));
        }
        assertThatThrownBy(() -> ChargeStateMachine.next(DISPUTED, UPHOLD, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(ChargeState.class)
    void terminalStatesAreExactlyThoseThatAllowNothing(ChargeState state) {
        boolean allowsSomething = EnumSet.allOf(ChargeAction.class).stream()
                .anyMatch(action -> ChargeStateMachine.allows(state, action));

        assertThat(state.terminal()).isEqualTo(!allowsSomething);
        assertThat(state.terminal()).isEqualTo(state == REVERSED || state == WAIVED);
    }

    @ParameterizedTest
    @EnumSource(ChargeState.class)
    void statesParseCaseInsensitively(ChargeState state) {
        assertThat(ChargeState.parse(state.name().toLowerCase(java.util.Locale.ROOT))).isEqualTo(state);
    }

    @Test
    void anUnknownStateIsRefusedNamingTheField() {
        assertThatThrownBy(() -> ChargeState.parse("paid"))
                .isInstanceOfSatisfying(io.taskmetering.domain.common.InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("state"));
    }
}
