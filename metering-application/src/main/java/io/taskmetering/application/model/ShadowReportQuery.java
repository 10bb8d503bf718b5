package io.taskmetering.application.model;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The hours of one shadow version's report, by subscription then hour.
 *
 * @param subscriptions the subscriptions to include; empty = all
 * @param from          the first hour included (the hour containing it), null = from the start
 * @param to            hours starting at or after it are left out, null = up to now
 * @param cursor        where the previous page ended, null for the first page
 */
public record ShadowReportQuery(String version, Set<SubscriptionRef> subscriptions, Instant from, Instant to, int limit,
                                String cursor) {
    /** A report row lists at most this many of its hour's flips; {@code flip_count} counts them all. */
    public static final int MAX_FLIPS_PER_HOUR = 100;

    public ShadowReportQuery {
        Objects.requireNonNull(version, "version");
        subscriptions = Set.copyOf(subscriptions);
        if (limit < 1) {
            throw new InvalidValueException("limit", "must be at least 1");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidValueException("from", "must not be after to");
        }
    }
}
