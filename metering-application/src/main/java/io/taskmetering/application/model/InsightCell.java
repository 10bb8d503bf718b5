package io.taskmetering.application.model;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.insight.InsightCounts;

import java.time.Instant;
import java.util.Objects;

/**
 * The insight counts of one subscription, UTC hour, agent and agent version, as storage keeps them: reports count in
 * the hour they occurred, charges in their billing hour.
 *
 * @param agentVersion the version the reports named, null when they named none
 */
public record InsightCell(SubscriptionRef subscription, Instant hour, AgentId agent, String agentVersion,
                          InsightCounts counts) {
    public InsightCell {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(hour, "hour");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(counts, "counts");
    }
}
