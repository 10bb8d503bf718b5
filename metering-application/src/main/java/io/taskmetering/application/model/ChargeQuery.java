package io.taskmetering.application.model;

import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Set;

/**
 * A filter over charges. {@code subscriptions} empty means all; {@code from} inclusive, {@code to} exclusive, on the
 * billing hour. Results are ordered by billing hour then correlation id; {@code cursor} continues a previous page.
 */
public record ChargeQuery(Set<SubscriptionRef> subscriptions, ChargeState state, Instant from, Instant to, int limit,
                          String cursor) {
    public static final int MAX_LIMIT = 1000;

    public ChargeQuery {
        subscriptions = Set.copyOf(subscriptions == null ? Set.of() : subscriptions);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new io.taskmetering.domain.common.InvalidValueException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new io.taskmetering.domain.common.InvalidValueException("from", "must not be after to");
        }
    }
}
