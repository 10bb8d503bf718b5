package io.taskmetering.domain.trace;

import io.taskmetering.domain.usage.UsageRecord;

import java.util.Objects;

/**
 * What a task consumed, read from its spans. Each count is at most {@link UsageRecord#MAX_COUNT}: a sum that would
 * pass it stays at it and {@code capped} says so (in the evidence too), never wrapping around.
 */
public record TaskUsage(long tokensIn, long tokensOut, long durationMs, long apiCalls, UsageSource source,
                        boolean capped) {
    public TaskUsage {
        UsageRecord.requireReportableCount("tokens_in", tokensIn);
        UsageRecord.requireReportableCount("tokens_out", tokensOut);
        UsageRecord.requireReportableCount("duration_ms", durationMs);
        UsageRecord.requireReportableCount("api_calls", apiCalls);
        Objects.requireNonNull(source, "source");
    }
}
