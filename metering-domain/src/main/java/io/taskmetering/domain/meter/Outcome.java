package io.taskmetering.domain.meter;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Evidence;

import java.time.Instant;

/** One finished task as reported by an agent runtime. {@code correlationId} may be null (one is generated). */
public record Outcome(CorrelationId correlationId, TaskId taskId, AgentId agentId, SubscriptionRef subscription,
                      Instant occurredAt, Evidence evidence) {
    public Outcome {
        Require.present("task_id", taskId);
        Require.present("agent_id", agentId);
        Require.present("subscription_ref", subscription);
        Require.present("occurred_at", occurredAt);
        if (evidence == null) {
            evidence = Evidence.empty();
        }
    }

    public static Outcome of(String taskId, String agentId, String subscription, Instant occurredAt, Evidence evidence) {
        return new Outcome(null, new TaskId(taskId), new AgentId(agentId), new SubscriptionRef(subscription), occurredAt,
                evidence);
    }

    public Outcome withCorrelationId(String id) {
        return new Outcome(new CorrelationId(id), taskId, agentId, subscription, occurredAt, evidence);
    }
}
