package io.taskmetering.application.port.in;

import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;

import java.util.Set;

/** Credits owed (reversals of already-invoiced charges); {@code subscriptions} empty = all. */
public record CreditsQuery(Set<SubscriptionRef> subscriptions, int limit, String cursor) {
    public CreditsQuery {
        subscriptions = Set.copyOf(subscriptions == null ? Set.of() : subscriptions);
        if (limit < 1 || limit > ChargeQuery.MAX_LIMIT) {
            throw new InvalidValueException("limit", "must be between 1 and " + ChargeQuery.MAX_LIMIT);
        }
    }
}
