package io.taskmetering.domain.common;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The instants the API accepts. Every timestamp lies in years 2000–9999: nothing this service meters happened
 * earlier, and four-digit years keep ISO-8601 text sortable and every instant storable as epoch microseconds.
 * An event time ({@code occurred_at}, a usage {@code timestamp}) may in addition be at most {@link #MAX_AHEAD}
 * after the server clock, which tolerates client clock skew but not an event that has not happened yet.
 */
public final class PlausibleTime {
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    public static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    private PlausibleTime() {
    }

    /** {@code value} if it lies in years 2000–9999; null stays null. */
    public static Instant requireInRange(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw new InvalidValueException(field, "must lie between " + EARLIEST + " and 9999-12-31T23:59:59Z");
        }
        return value;
    }

    /** {@code value} if it lies in range and at most {@link #MAX_AHEAD} after {@code now}; null stays null. */
    public static Instant requireEventTime(String field, Instant value, Instant now) {
        Objects.requireNonNull(now, "now");
        requireInRange(field, value);
        if (value != null && value.isAfter(now.plus(MAX_AHEAD))) {
            throw new InvalidValueException(field, "must not be more than " + MAX_AHEAD.toMinutes()
                    + " minutes in the future (ahead of the server clock)");
        }
        return value;
    }
}
