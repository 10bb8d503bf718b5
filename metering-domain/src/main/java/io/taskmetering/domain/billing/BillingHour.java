package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.InvalidValueException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A UTC calendar hour (minute 0 to 59): the Marketplace's unit of one usage event per resource and dimension. */
public record BillingHour(Instant start) implements Comparable<BillingHour> {
    public static final Duration LENGTH = Duration.ofHours(1);

    public BillingHour {
        if (start == null) {
            throw new InvalidValueException("hour", "is required");
        }
        if (!start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
            throw new InvalidValueException("hour", "must be the top of a UTC hour, was " + start);
        }
    }

    /** The hour that contains {@code instant}. */
    public static BillingHour containing(Instant instant) {
        return new BillingHour(instant.truncatedTo(ChronoUnit.HOURS));
    }

    public static BillingHour parse(String iso) {
        try {
            return new BillingHour(Instant.parse(iso));
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidValueException("hour", "must be an ISO-8601 UTC instant like 2025-06-01T14:00:00Z");
        }
    }

    public Instant end() {
        return start.plus(LENGTH);
    }

    public BillingHour next() {
        return new BillingHour(end());
    }

    public BillingHour previous() {
        return new BillingHour(start.minus(LENGTH));
    }

    /** The UTC calendar day this hour belongs to (the period of the daily cap). */
    public LocalDate day() {
        return LocalDate.ofInstant(start, ZoneOffset.UTC);
    }

    public Instant dayStart() {
        return day().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @Override
    public int compareTo(BillingHour other) {
        return start.compareTo(other.start);
    }

    /** ISO-8601 with {@code Z}, exactly as the Marketplace's {@code effectiveStartTime}. */
    @Override
    public String toString() {
        return start.toString();
    }
}
