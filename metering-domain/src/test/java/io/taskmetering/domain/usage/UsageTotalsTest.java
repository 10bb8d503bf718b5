package io.taskmetering.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmetering.domain.common.InvalidValueException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class UsageTotalsTest {

    @Test
    void averagesAreZeroWithScaleTwoWhenThereAreNoTasks() {
        UsageTotals none = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, false);

        assertThat(none.avgTokensPerTask()).isEqualTo(new BigDecimal("0.00"));
        assertThat(none.avgDurationMsPerTask()).isEqualTo(new BigDecimal("0.00"));
    }

    @ParameterizedTest(name = "{1} / {0} = {2}")
    @CsvSource({
        "1, 640, 640.00",
        "2, 5, 2.50",
        "3, 2, 0.67",
        "3, 1, 0.33",
        "8, 1, 0.13",
        "8, 3, 0.38",
        "400, 1, 0.00",
        "200, 1, 0.01",
        "3, 9223372036854775807, 3074457345618258602.33"
    })
    void averagesAreExactAndRoundedHalfUpToTwoPlaces(long tasks, long sum, String expected) {
        UsageTotals totals = new UsageTotals(tasks, sum, 0, sum, sum, 0, 1, 1, false);

        assertThat(totals.avgTokensPerTask()).isEqualTo(new BigDecimal(expected));
        assertThat(totals.avgDurationMsPerTask()).isEqualTo(new BigDecimal(expected));
    }

    @Test
    void totalTokensMayReachLongMaxValue() {
        UsageTotals totals = new UsageTotals(2, Long.MAX_VALUE - 5, 5, Long.MAX_VALUE, 0, 0, 1, 1, false);

        assertThat(totals.totalTokens()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void saturatedTotalsCapEachSumAtLongMaxValue() {
        UsageTotals totals = UsageTotals.ofSums(2, BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), BigInteger.TEN,
                BigInteger.ONE, BigInteger.TWO, 1, 1);

        assertThat(totals).isEqualTo(new UsageTotals(2, Long.MAX_VALUE, 10, Long.MAX_VALUE, 1, 2, 1, 1, true));
    }

    @Test
    void exactSumsUpToLongMaxValueAreNotSaturated() {
        UsageTotals totals = UsageTotals.ofSums(2, BigInteger.valueOf(Long.MAX_VALUE - 10), BigInteger.TEN,
                BigInteger.valueOf(Long.MAX_VALUE), BigInteger.valueOf(Long.MAX_VALUE), 1, 1);

        assertThat(totals).isEqualTo(new UsageTotals(2, Long.MAX_VALUE - 10, 10, Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE, 1, 1, false));
    }

    static Stream<Arguments> impossibleTotals() {
        return Stream.of(
                refused("total_tasks", () -> new UsageTotals(-1, 0, 0, 0, 0, 0, 0, 0, false)),
                refused("total_tokens_in", () -> new UsageTotals(1, -1, 0, -1, 0, 0, 1, 1, false)),
                refused("total_tokens_out", () -> new UsageTotals(1, 0, -1, -1, 0, 0, 1, 1, false)),
                refused("total_tokens", () -> new UsageTotals(1, 0, 0, -1, 0, 0, 1, 1, false)),
                refused("total_duration_ms", () -> new UsageTotals(1, 0, 0, 0, -1, 0, 1, 1, false)),
                refused("total_api_calls", () -> new UsageTotals(1, 0, 0, 0, 0, -1, 1, 1, false)),
                refused("total_tokens", () -> new UsageTotals(1, 2, 3, 4, 0, 0, 1, 1, false)),
                refused("total_tokens", () -> new UsageTotals(1, Long.MAX_VALUE, 1, Long.MIN_VALUE, 0, 0, 1, 1, false)),
                refused("saturated", () -> new UsageTotals(1, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, 1, 1, false)),
                refused("total_tokens", () -> new UsageTotals(1, Long.MAX_VALUE, Long.MAX_VALUE, 5, 0, 0, 1, 1, true)),
                refused("unique_agents", () -> new UsageTotals(1, 0, 0, 0, 0, 0, -1, 1, false)),
                refused("unique_agents", () -> new UsageTotals(1, 0, 0, 0, 0, 0, 2, 1, false)),
                refused("unique_agents", () -> new UsageTotals(1, 0, 0, 0, 0, 0, 0, 1, false)),
                refused("unique_consumers", () -> new UsageTotals(2, 0, 0, 0, 0, 0, 1, 3, false)),
                refused("unique_consumers", () -> new UsageTotals(2, 0, 0, 0, 0, 0, 1, 0, false)),
                refused("unique_consumers", () -> new UsageTotals(0, 0, 0, 0, 0, 0, 0, 1, false)));
    }

    private static Arguments refused(String field, ThrowingCallable construct) {
        return Arguments.of(field, construct);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("impossibleTotals")
    void refusesTotalsNoRecordsCouldProduce(String field, ThrowingCallable construct) {
        assertThatThrownBy(construct)
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo(field);
    }
}
