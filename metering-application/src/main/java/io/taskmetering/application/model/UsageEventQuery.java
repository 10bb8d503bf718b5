package io.taskmetering.application.model;

import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Set;

/** A filter over usage events by hour ({@code from} inclusive, {@code to} exclusive), oldest hour first. */
public record UsageEventQuery(Set<SubscriptionRef> subscriptions, UsageEventStatus status, Instant from, Instant to,
                              int limit, String cursor) {
    public UsageEventQuery {
        subscriptions = Set.copyOf(subscriptions == null ? Set.of() : subscriptions);
        if (limit < 1 || limit > ChargeQuery.MAX_LIMIT) {
            throw new io.taskmetering.domain.common.InvalidValueException("limit", "must be between 1 and " + ChargeQuery.MAX_LIMIT);
        }
    }
}
