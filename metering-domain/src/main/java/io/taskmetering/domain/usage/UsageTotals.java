package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Sums over a set of usage records ({@code total_tasks} counts records), with exact averages for display.
 *
 * <p>The constructor refuses totals no set of records could produce, so a faulty aggregation query in an
 * adapter fails loudly instead of showing wrong numbers: counts are non-negative, {@code total_tokens} is
 * {@code total_tokens_in + total_tokens_out}, and each distinct count lies between 1 and {@code total_tasks}
 * (0 when there are no tasks).
 *
 * <p>A sum that exceeds {@link Long#MAX_VALUE} is reported as {@code Long.MAX_VALUE} with {@code saturated} set:
 * a report then shows a lower bound and says so, instead of failing. Records are accepted with counts of at most
 * {@link UsageRecord#MAX_COUNT} each, so only millions of records at that limit (or rows stored before the limit
 * existed) can saturate.
 */
public record UsageTotals(
        long totalTasks,
        long totalTokensIn,
        long totalTokensOut,
        long totalTokens,
        long totalDurationMs,
        long totalApiCalls,
        long uniqueAgents,
        long uniqueConsumers,
        boolean saturated) {

    private static final int AVERAGE_SCALE = 2;
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    public UsageTotals {
        Require.nonNegative("total_tasks", totalTasks);
        Require.nonNegative("total_tokens_in", totalTokensIn);
        Require.nonNegative("total_tokens_out", totalTokensOut);
        Require.nonNegative("total_tokens", totalTokens);
        Require.nonNegative("total_duration_ms", totalDurationMs);
        Require.nonNegative("total_api_calls", totalApiCalls);
        BigInteger tokenSum = BigInteger.valueOf(totalTokensIn).add(BigInteger.valueOf(totalTokensOut));
        if (totalTokens != saturate(tokenSum)) {
            throw new InvalidValueException("total_tokens", "must equal total_tokens_in + total_tokens_out");
        }
        if (!saturated && tokenSum.compareTo(LONG_MAX) > 0) {
            throw new InvalidValueException("saturated", "must be set when total_tokens exceeds " + Long.MAX_VALUE);
        }
        requireDistinctCount("unique_agents", uniqueAgents, totalTasks);
        requireDistinctCount("unique_consumers", uniqueConsumers, totalTasks);
    }

    /**
     * Totals from exact sums, e.g. a database's {@code SUM}: a sum beyond {@link Long#MAX_VALUE} (including
     * {@code tokens_in + tokens_out}) becomes {@code Long.MAX_VALUE} and sets {@code saturated}.
     */
    public static UsageTotals ofSums(long tasks, BigInteger tokensIn, BigInteger tokensOut, BigInteger durationMs,
                                     BigInteger apiCalls, long uniqueAgents, long uniqueConsumers) {
        BigInteger tokens = tokensIn.add(tokensOut);
        boolean saturated = tokens.compareTo(LONG_MAX) > 0 || durationMs.compareTo(LONG_MAX) > 0
                || apiCalls.compareTo(LONG_MAX) > 0;
        return new UsageTotals(tasks, saturate(tokensIn), saturate(tokensOut), saturate(tokens), saturate(durationMs),
                saturate(apiCalls), uniqueAgents, uniqueConsumers, saturated);
    }

    private static long saturate(BigInteger sum) {
        return sum.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE : sum.longValueExact();
    }

    /** Mean tokens per task, scale 2, rounded half up; {@code 0.00} when there are no tasks; a lower bound when saturated. */
    public BigDecimal avgTokensPerTask() {
        return average(totalTokens);
    }

    /** Mean duration per task in ms, scale 2, rounded half up; {@code 0.00} when there are no tasks; a lower bound when saturated. */
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
