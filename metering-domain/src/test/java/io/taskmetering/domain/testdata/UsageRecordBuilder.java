package io.taskmetering.domain.testdata;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageRecord;
import java.time.Instant;

/**
 * Builds valid {@link UsageRecord}s with sensible defaults, so a test states only the fields it is about.
 * Ids are kept as text until {@link #build()}, so a test can pass a blank or null id and see the record refuse it.
 */
public final class UsageRecordBuilder {
    private String taskId = "task-001";
    private String agentId = "agent-alpha";
    private String consumerId = "sub-contoso-001";
    private long tokensIn = 512;
    private long tokensOut = 128;
    private long durationMs = 1500;
    private long apiCalls = 3;
    private Instant timestamp = Instant.parse("2025-06-01T14:05:00Z");

    private UsageRecordBuilder() {
    }

    public static UsageRecordBuilder aUsageRecord() {
        return new UsageRecordBuilder();
    }

    public UsageRecordBuilder withTaskId(String taskId) {
        this.taskId = taskId;
        return this;
    }

    public UsageRecordBuilder withAgentId(String agentId) {
        this.agentId = agentId;
        return this;
    }

    public UsageRecordBuilder withConsumerId(String consumerId) {
        this.consumerId = consumerId;
        return this;
    }

    public UsageRecordBuilder withTokensIn(long tokensIn) {
        this.tokensIn = tokensIn;
        return this;
    }

    public UsageRecordBuilder withTokensOut(long tokensOut) {
        this.tokensOut = tokensOut;
        return this;
    }

    public UsageRecordBuilder withDurationMs(long durationMs) {
        this.durationMs = durationMs;
        return this;
    }

    public UsageRecordBuilder withApiCalls(long apiCalls) {
        this.apiCalls = apiCalls;
        return this;
    }

    public UsageRecordBuilder withTimestamp(Instant timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    /** Shorthand for {@link #withTimestamp(Instant)} with an ISO-8601 instant such as {@code 2026-02-06T14:30:00Z}. */
    public UsageRecordBuilder at(String isoInstant) {
        return withTimestamp(Instant.parse(isoInstant));
    }

    public UsageRecord build() {
        return new UsageRecord(
                taskId == null ? null : TaskId.of(taskId),
                agentId == null ? null : AgentId.of(agentId),
                consumerId == null ? null : ConsumerId.of(consumerId),
                tokensIn,
                tokensOut,
                durationMs,
                apiCalls,
                timestamp);
    }
}
