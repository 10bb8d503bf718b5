package io.taskmetering.domain.usage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageAggregateTest {
    private static final UsageTotals ONE_TASK = new UsageTotals(1, 1, 1, 2, 1, 1, 1, 1, false);

    @Test
    void requiresAGroupBy() {
        assertThatThrownBy(() -> new UsageAggregate(null, "agent-alpha", ONE_TASK))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("group_by");
    }

    @ParameterizedTest
    @CsvSource({"AGENT, agent_id", "CONSUMER, consumer_id", "DAY, period", "WEEK, period"})
    void refusesABlankGroupUnderTheFieldThatCarriesIt(UsageGroupBy groupBy, String field) {
        assertThatThrownBy(() -> new UsageAggregate(groupBy, " ", ONE_TASK))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo(field);
    }

    @Test
    void requiresTotals() {
        assertThatThrownBy(() -> new UsageAggregate(UsageGroupBy.DAY, "2026-02-06", null))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("totals");
    }
}
