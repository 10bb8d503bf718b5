package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One outcome decided under a shadow version, next to what the live version decided. Kept for the shadow report
 * only: it is no charge, counts in no hour and never reaches the Marketplace.
 *
 * @param hour            the UTC hour of the outcome's {@code occurred_at}
 * @param shadow          the decision under the shadow version (its gates, reason codes and digest)
 * @param liveVersion     the version that decided the outcome live
 * @param liveReasonCodes the live decision's reason codes, one per gate
 */
public record ShadowDecision(CorrelationId correlationId, TaskId taskId, SubscriptionRef subscription, BillingHour hour,
                             Decision shadow, String liveVersion, boolean liveBillable, List<String> liveReasonCodes,
                             Instant evaluatedAt) {
    public ShadowDecision {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(hour, "hour");
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(liveVersion, "liveVersion");
        liveReasonCodes = List.copyOf(liveReasonCodes);
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
    }

    /** The shadow version's id. */
    public String version() {
        return shadow.contractVersion();
    }

    public boolean flipped() {
        return liveBillable != shadow.billable();
    }
}
