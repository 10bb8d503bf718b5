package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;

import java.util.List;
import java.util.Objects;

/**
 * An outcome that one contract version bills and another does not, with both versions' reason codes.
 *
 * @param hour            the UTC hour of the outcome's {@code occurred_at}
 * @param toBillable      true when the other version bills it and the first did not
 * @param fromReasonCodes the first version's reason codes (live, or as recorded)
 * @param toReasonCodes   the other version's reason codes (shadow, or replayed)
 */
public record DecisionFlip(CorrelationId correlationId, TaskId taskId, SubscriptionRef subscription, BillingHour hour,
                           boolean toBillable, List<String> fromReasonCodes, List<String> toReasonCodes) {
    public DecisionFlip {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(hour, "hour");
        fromReasonCodes = List.copyOf(fromReasonCodes);
        toReasonCodes = List.copyOf(toReasonCodes);
    }
}
