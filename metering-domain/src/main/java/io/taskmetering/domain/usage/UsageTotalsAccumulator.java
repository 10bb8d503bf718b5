package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Folds usage records into {@link UsageTotals} one at a time, so an adapter can stream any number of records
 * through it: memory grows with the distinct agents and consumers seen, never with the number of records.
 *
 * <p>Sums are exact: an overflow throws {@link ArithmeticException} and leaves the accumulator unchanged.
 * Mutable and not thread-safe; use one per group and thread.
 */
public final class UsageTotalsAccumulator {
    private long tasks;
    private long tokensIn;
    private long tokensOut;
    private long tokens;
    private long durationMs;
    private long apiCalls;
    private final Set<AgentId> agents = new HashSet<>();
    private final Set<ConsumerId> consumers = new HashSet<>();

    /** Counts one record as one task. */
    public void add(UsageRecord record) {
        Objects.requireNonNull(record, "record");
        // Compute every sum before assigning any, so an overflow cannot leave the totals half updated.
        long newTasks = Math.addExact(tasks, 1);
        long newTokensIn = Math.addExact(tokensIn, record.tokensIn());
        long newTokensOut = Math.addExact(tokensOut, record.tokensOut());
        long newTokens = Math.addExact(tokens, record.totalTokens());
        long newDurationMs = Math.addExact(durationMs, record.durationMs());
        long newApiCalls = Math.addExact(apiCalls, record.apiCalls());
        tasks = newTasks;
        tokensIn = newTokensIn;
        tokensOut = newTokensOut;
        tokens = newTokens;
        durationMs = newDurationMs;
        apiCalls = newApiCalls;
        agents.add(record.agentId());
        consumers.add(record.consumerId());
    }

    /** The totals of every record added so far; all zero when none was. */
    public UsageTotals toTotals() {
        return new UsageTotals(
                tasks, tokensIn, tokensOut, tokens, durationMs, apiCalls, agents.size(), consumers.size());
    }
}
