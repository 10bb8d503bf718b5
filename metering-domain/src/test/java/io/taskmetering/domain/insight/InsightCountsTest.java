package io.taskmetering.domain.insight;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InsightCountsTest {
    /** attempted 5, duplicates 1, not billable 2, complete 1; charges 3: billable 2, held 1; disputed 1, reversed 0. */
    private static final InsightCounts HOUR = new InsightCounts(5, 1,
            Map.of("terminal_success", 1L, "output_validation", 1L), 1, 3, 2, 1, 1, 0);

    @Test
    void eachRateIsItsNumeratorOverItsDenominator() {
        assertThat(HOUR.conversion()).isEqualTo(new Rate(2, 5));
        assertThat(HOUR.duplicateSuppression()).isEqualTo(new Rate(1, 5));
        assertThat(HOUR.evidenceCompleteness()).isEqualTo(new Rate(1, 5));
        assertThat(HOUR.review()).isEqualTo(new Rate(1, 3));
        assertThat(HOUR.dispute()).isEqualTo(new Rate(1, 3));
        assertThat(HOUR.reversal()).isEqualTo(new Rate(0, 3));
        assertThat(HOUR.conversion().value()).isEqualTo(0.4);
        assertThat(HOUR.notBillable()).isEqualTo(2);
    }

    @Test
    void aRateOverNothingHasNoValueNotZero() {
        assertThat(InsightCounts.NONE.conversion().value()).isNull();
        assertThat(InsightCounts.NONE.review().value()).isNull();
        assertThat(new Rate(0, 1).value()).isEqualTo(0.0);
    }

    @Test
    void aDisputeCountsWhileOpenAndAfterReversal() {
        InsightCounts reversed = new InsightCounts(2, 0, Map.of(), 0, 2, 1, 0, 0, 1);
        assertThat(reversed.dispute()).isEqualTo(new Rate(1, 2));
        assertThat(reversed.reversal()).isEqualTo(new Rate(1, 2));
    }

    @Test
    void addingSumsEveryCountAndMergesTheGateBreakdown() {
        InsightCounts other = new InsightCounts(3, 0, Map.of("terminal_success", 2L, "approval", 1L), 3, 0, 0, 0, 0, 0);

        InsightCounts sum = HOUR.plus(other);

        assertThat(sum).isEqualTo(new InsightCounts(8, 1,
                Map.of("terminal_success", 3L, "output_validation", 1L, "approval", 1L), 4, 3, 2, 1, 1, 0));
        assertThat(sum.notBillable()).isEqualTo(HOUR.notBillable() + other.notBillable());
        assertThat(InsightCounts.NONE.plus(HOUR)).isEqualTo(HOUR);
        assertThat(HOUR.plus(other)).isEqualTo(other.plus(HOUR));
    }

    @Test
    void negativeCountsAreRefused() {
        assertThatThrownBy(() -> new InsightCounts(-1, 0, Map.of(), 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InsightCounts(0, 0, Map.of("approval", -1L), 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rate(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
