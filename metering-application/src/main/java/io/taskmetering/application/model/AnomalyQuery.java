package io.taskmetering.application.model;

import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Set;

/** A filter over anomalies, newest first; {@code subscriptions} empty = all; {@code from} inclusive, {@code to} exclusive. */
public record AnomalyQuery(Set<SubscriptionRef> subscriptions, AnomalyType type, Instant from, Instant to, int limit,
                           String cursor) {
    public AnomalyQuery {
        subscriptions = Set.copyOf(subscriptions == null ? Set.of() : subscriptions);
        if (limit < 1 || limit > ChargeQuery.MAX_LIMIT) {
            throw new io.taskmetering.domain.common.InvalidValueException("limit", "must be between 1 and " + ChargeQuery.MAX_LIMIT);
        }
    }
}
