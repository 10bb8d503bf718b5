package io.taskmetering.application.model;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;

/**
 * A window of insights: whole UTC hours from {@code from} (inclusive) to {@code to} (exclusive), over some
 * subscriptions (empty = all) and optionally one agent.
 */
public record InsightQuery(Set<SubscriptionRef> subscriptions, AgentId agent, Instant from, Instant to) {
    /** At most a year of hours in one answer: the rows and the rows read stay bounded. */
    public static final Duration MAX_WINDOW = Duration.ofDays(366);

    public InsightQuery {
        subscriptions = Set.copyOf(subscriptions == null ? Set.of() : subscriptions);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        // Rows are whole hours: a window cutting one would count part of it under the whole hour's name.
        if (!from.equals(from.truncatedTo(ChronoUnit.HOURS))) {
            throw new InvalidValueException("from", "must be a whole UTC hour");
        }
        if (!to.equals(to.truncatedTo(ChronoUnit.HOURS))) {
            throw new InvalidValueException("to", "must be a whole UTC hour");
        }
        if (!to.isAfter(from)) {
            throw new InvalidValueException("to", "must be after from");
        }
        if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw new InvalidValueException("to", "must be at most 366 days after from");
        }
    }
}
