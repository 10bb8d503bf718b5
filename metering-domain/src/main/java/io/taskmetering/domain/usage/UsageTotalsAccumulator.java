package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Folds usage records into {@link UsageTotals} one at a time, so an adapter can stream any number of records
 * through it: memory grows with the distinct agents and consumers seen, never with the number of records.
 *
 * <p>Sums are exact while they fit in a {@code long} and saturate beyond, as {@link UsageTotals#ofSums} describes.
 * Mutable and not thread-safe; use one per group and thread.
 */
public final class UsageTotalsAccumulator {
    private long tasks;
    private BigInteger tokensIn = BigInteger.ZERO;
    private BigInteger tokensOut = BigInteger.ZERO;
    private BigInteger durationMs = BigInteger.ZERO;
    private BigInteger apiCalls = BigInteger.ZERO;
    private final Set<AgentId> agents = new HashSet<>();
    private final Set<ConsumerId> consumers = new HashSet<>();

    /** Counts one record as one task. */
    public void add(UsageRecord record) {
        Objects.requireNonNull(record, "record");
        tasks++;
        tokensIn = tokensIn.add(BigInteger.valueOf(record.tokensIn()));
        tokensOut = tokensOut.add(BigInteger.valueOf(record.tokensOut()));
        durationMs = durationMs.add(BigInteger.valueOf(record.durationMs()));
        apiCalls = apiCalls.add(BigInteger.valueOf(record.apiCalls()));
        agents.add(record.agentId());
        consumers.add(record.consumerId());
    }

    /** The totals of every record added so far; all zero when none was. */
    public UsageTotals toTotals() {
        return UsageTotals.ofSums(tasks, tokensIn, tokensOut, durationMs, apiCalls, agents.size(), consumers.size());
    }
}
