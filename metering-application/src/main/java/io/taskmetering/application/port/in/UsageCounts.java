package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;

/** Usage reported with an outcome (visibility only): kept as a usage record of the task. */
public record UsageCounts(long tokensIn, long tokensOut, long durationMs, long apiCalls) {
    public UsageCounts {
        Require.nonNegative("usage.tokens_in", tokensIn);
        Require.nonNegative("usage.tokens_out", tokensOut);
        Require.nonNegative("usage.duration_ms", durationMs);
        Require.nonNegative("usage.api_calls", apiCalls);
    }
}
