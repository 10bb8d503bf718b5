package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.TaskId;
import java.time.Instant;

/**
 * What one task consumed, kept for visibility and never billed: billing counts outcomes, not tokens.
 *
 * <p>All fields are required and the four counts are non-negative. The timestamp must lie in years 0001–9999
 * and is truncated to microseconds, the precision databases store, so a record read back equals the record
 * written. {@code tokens_in + tokens_out} must fit in a {@code long}, so {@link #totalTokens()} never fails on
 * a record that exists.
 *
 * <p>A record a client reports must in addition keep each count at most {@link #MAX_COUNT}
 * ({@link #requireReportable}); rows stored before that limit existed are still read as they are.
 */
public record UsageRecord(
        TaskId taskId,
        AgentId agentId,
        ConsumerId consumerId,
        long tokensIn,
        long tokensOut,
        long durationMs,
        long apiCalls,
        Instant timestamp) {

    /** The largest count a client may report per record: far beyond any real task, far below overflow. */
    public static final long MAX_COUNT = 1_000_000_000_000L;

    public UsageRecord {
        Require.present("task_id", taskId);
        Require.present("agent_id", agentId);
        Require.present("consumer_id", consumerId);
        Require.nonNegative("tokens_in", tokensIn);
        Require.nonNegative("tokens_out", tokensOut);
        Require.nonNegative("duration_ms", durationMs);
        Require.nonNegative("api_calls", apiCalls);
        sumOfTokens(tokensIn, tokensOut);
        timestamp = UsageTime.normalize("timestamp", timestamp);
    }

    /** This record, if each of its counts is at most {@link #MAX_COUNT}; the failure names the first count over it. */
    public UsageRecord requireReportable() {
        requireReportableCount("tokens_in", tokensIn);
        requireReportableCount("tokens_out", tokensOut);
        requireReportableCount("duration_ms", durationMs);
        requireReportableCount("api_calls", apiCalls);
        return this;
    }

    /** {@code value} if it lies in 0..{@link #MAX_COUNT}. */
    public static long requireReportableCount(String field, long value) {
        Require.nonNegative(field, value);
        if (value > MAX_COUNT) {
            throw new InvalidValueException(field, "must be at most " + MAX_COUNT);
        }
        return value;
    }

    /** {@code tokens_in + tokens_out}, computed exactly. */
    public long totalTokens() {
        return sumOfTokens(tokensIn, tokensOut);
    }

    /** The idempotency key: the same consumer reporting the same task at the same instant is one record. */
    public UsageRecordKey key() {
        return new UsageRecordKey(consumerId, taskId, timestamp);
    }

    private static long sumOfTokens(long tokensIn, long tokensOut) {
        try {
            return Math.addExact(tokensIn, tokensOut);
        } catch (ArithmeticException overflow) {
            throw new InvalidValueException("tokens_out", "tokens_in + tokens_out must not exceed " + Long.MAX_VALUE);
        }
    }
}
