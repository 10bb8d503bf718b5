package io.taskmetering.application.model;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Metered decisions whose {@code occurred_at} lies in {@code [from, to)}, in order of (occurred_at, correlation id),
 * a chunk at a time: those after the position ({@code afterOccurredAt}, {@code afterCorrelationId}), when given.
 *
 * @param subscriptions the subscriptions to include; empty = all
 */
public record DecisionWindowQuery(Instant from, Instant to, Set<SubscriptionRef> subscriptions, Instant afterOccurredAt,
                                  CorrelationId afterCorrelationId, int limit) {
    public DecisionWindowQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        subscriptions = Set.copyOf(subscriptions);
        if ((afterOccurredAt == null) != (afterCorrelationId == null)) {
            throw new IllegalArgumentException("a position needs both its instant and its correlation id");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    /** The next chunk: the decisions after {@code last}. */
    public DecisionWindowQuery after(StoredDecision last) {
        return new DecisionWindowQuery(from, to, subscriptions, last.occurredAt(), last.correlationId(), limit);
    }
}
