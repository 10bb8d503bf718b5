package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The one rule for usage timestamps, shared by records and their keys so both normalise alike. */
final class UsageTime {
    /** Four-digit years only: ISO-8601 on the wire, and period keys then sort chronologically as text. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST_EXCLUSIVE = Instant.parse("+10000-01-01T00:00:00Z");

    private UsageTime() {
    }

    /**
     * Requires a timestamp in years 0001–9999 and truncates it to microseconds, the precision databases store,
     * so a record read back equals the record written.
     */
    static Instant normalize(String field, Instant value) {
        Instant truncated = Require.instant(field, value).truncatedTo(ChronoUnit.MICROS);
        if (truncated.isBefore(EARLIEST) || !truncated.isBefore(LATEST_EXCLUSIVE)) {
            throw new InvalidValueException(field, "must be between years 0001 and 9999");
        }
        return truncated;
    }
}
