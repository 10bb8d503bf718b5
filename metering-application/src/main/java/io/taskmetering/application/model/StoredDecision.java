package io.taskmetering.application.model;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.evaluation.Evidence;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A decision as kept for audit: who reported what, the evidence exactly as received, and the decision. Keyed by
 * correlation id, so re-sending a request returns this instead of evaluating again.
 *
 * @param metadata                 caller-supplied context kept for the audit (workflow id, agent version, source route)
 * @param evidenceCanonicalization how the decision's evidence digest was computed
 */
public record StoredDecision(
        CorrelationId correlationId,
        TaskId taskId,
        AgentId agentId,
        SubscriptionRef subscription,
        Dimension dimension,
        PlanId planId,
        DecisionKind kind,
        Instant occurredAt,
        Instant receivedAt,
        Evidence evidence,
        Decision decision,
        Map<String, String> metadata,
        EvidenceCanonicalization evidenceCanonicalization) {
    /** The metadata key of the agent version an outcome report named. */
    public static final String AGENT_VERSION = "agent_version";

    public StoredDecision {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(decision, "decision");
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
        Objects.requireNonNull(evidenceCanonicalization, "evidenceCanonicalization");
    }
}
