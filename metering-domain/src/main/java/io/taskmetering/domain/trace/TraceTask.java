package io.taskmetering.domain.trace;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Evidence;

import java.time.Instant;

/**
 * One task read from a trace: who did it, when it ended, the evidence the five gates decide on, and its usage. The
 * correlation id is a function of the agent span ({@code otlp-<traceId>-<spanId>}), so deciding the task again (after
 * a crash, on another instance) replays the stored decision instead of making a second one.
 */
public record TraceTask(CorrelationId correlationId, TaskId taskId, AgentId agentId, String agentVersion,
                        Instant occurredAt, Evidence evidence, TaskUsage usage) {
    public TraceTask {
        Require.present("correlation_id", correlationId);
        Require.present("task_id", taskId);
        Require.present("agent_id", agentId);
        Require.present("occurred_at", occurredAt);
        Require.present("evidence", evidence);
        Require.present("usage", usage);
    }
}
