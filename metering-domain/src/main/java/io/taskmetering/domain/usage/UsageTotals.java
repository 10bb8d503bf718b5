package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Sums over a set of usage records ({@code total_tasks} counts records), with exact averages for display.
 *
 * <p>The constructor refuses totals no set of records could produce, so a faulty aggregation query in an
 * adapter fails loudly instead of showing wrong numbers: counts are non-negative, {@code total_tokens} is
 * {@code total_tokens_in + total_tokens_out}, and each distinct count lies between 1 and {@code total_tasks}
 * (0 when there are no tasks).
 */
public record UsageTotals(
        long totalTasks,
        long totalTokensIn,
        long totalTokensOut,
        long totalTokens,
        long totalDurationMs,
        long totalApiCalls,
        long uniqueAgents,
        long uniqueConsumers) {

    private static final int AVERAGE_SCALE = 2;

    public UsageTotals {
        Require.nonNegative("total_tasks", totalTasks);
        Require.nonNegative("total_tokens_in", totalTokensIn);
        Require.nonNegative("total_tokens_out", totalTokensOut);
        Require.nonNegative("total_tokens", totalTokens);
        Require.nonNegative("total_duration_ms", totalDurationMs);
        Require.nonNegative("total_api_calls", totalApiCalls);
        // Both operands are non-negative, so this subtraction cannot overflow where an addition could.
        if (totalTokens - totalTokensIn != totalTokensOut) {
            throw new InvalidValueException("total_tokens", "must equal total_tokens_in + total_tokens_out");
        }
        requireDistinctCount("unique_agents", uniqueAgents, totalTasks);
        requireDistinctCount("unique_consumers", uniqueConsumers, totalTasks);
    }

    /** Mean tokens per task, scale 2, rounded half up; {@code 0.00} when there are no tasks. */
    public BigDecimal avgTokensPerTask() {
        return average(totalTokens);
    }

    /** Mean duration per task in milliseconds, scale 2, rounded half up; {@code 0.00} when there are no tasks. */
    public BigDecimal avgDurationMsPerTask() {
        return average(totalDurationMs);
    }

    private BigDecimal average(long sum) {
        if (totalTasks == 0) {
            return BigDecimal.ZERO.setScale(AVERAGE_SCALE);
        }
        return BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(totalTasks), AVERAGE_SCALE, RoundingMode.HALF_UP);
    }

    private static void requireDistinctCount(String field, long count, long totalTasks) {
        Require.nonNegative(field, count);
        if (count > totalTasks) {
            throw new InvalidValueException(field, "must not exceed total_tasks");
        }
        if (count == 0 && totalTasks > 0) {
            throw new InvalidValueException(field, "must be at least 1 when total_tasks is positive");
        }
    }
}
