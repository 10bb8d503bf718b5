package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.usage.UsageRecord;

import java.time.Instant;

/**
 * What an agent runtime reports about one finished task. Optional fields are null: a missing correlation id is
 * generated, a missing {@code occurredAt} is the time of receipt, a missing dimension or plan is the configured default.
 */
public record OutcomeReport(
        TaskId taskId,
        AgentId agentId,
        SubscriptionRef subscription,
        CorrelationId correlationId,
        Instant occurredAt,
        String workflowId,
        String agentVersion,
        Dimension dimension,
        PlanId planId,
        Evidence evidence,
        UsageCounts usage) {
    public OutcomeReport {
        Require.present("task_id", taskId);
        Require.present("agent_id", agentId);
        Require.present("subscription_ref", subscription);
        if (workflowId != null) {
            Require.id("workflow_id", workflowId);
        }
        if (agentVersion != null) {
            Require.id("agent_version", agentVersion);
        }
        if (evidence == null) {
            evidence = Evidence.empty();
        }
    }

    /** Usage reported with an outcome (visibility only): kept as a usage record of the task. */
    public record UsageCounts(long tokensIn, long tokensOut, long durationMs, long apiCalls) {
        public UsageCounts {
            UsageRecord.requireReportableCount("usage.tokens_in", tokensIn);
            UsageRecord.requireReportableCount("usage.tokens_out", tokensOut);
            UsageRecord.requireReportableCount("usage.duration_ms", durationMs);
            UsageRecord.requireReportableCount("usage.api_calls", apiCalls);
        }
    }
}
