package io.taskmetering.adapter.persistence;

import java.time.Instant;

/** Instants as BIGINT microseconds since the epoch (UTC), the one time representation of the schema. */
final class Micros {
    private static final long MICROS_PER_SECOND = 1_000_000L;
    static final long HOUR = 3_600L * MICROS_PER_SECOND;
    static final long DAY = 24L * HOUR;
    static final long WEEK = 7L * DAY;

    private Micros() {
    }

    /** Truncates to microseconds; saturates at the ends of the {@code long} range (e.g. {@link Instant#MIN}). */
    static long of(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds > Long.MAX_VALUE / MICROS_PER_SECOND - 1) {
            return Long.MAX_VALUE;
        }
        if (seconds < Long.MIN_VALUE / MICROS_PER_SECOND + 1) {
            return Long.MIN_VALUE;
        }
        return seconds * MICROS_PER_SECOND + instant.getNano() / 1_000;
    }

    static Long ofNullable(Instant instant) {
        return instant == null ? null : of(instant);
    }

    static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1_000L);
    }

    static Instant toInstantOrNull(Long micros) {
        return micros == null ? null : toInstant(micros);
    }

    /** SQL for {@code floor(column / divisor)} with BIGINT arithmetic only (exact; SQL division truncates toward 0). */
    static String floorDivSql(String column, long divisor) {
        return "(CASE WHEN " + column + " >= 0 THEN " + column + " / " + divisor + " ELSE -((-" + column + " - 1) / "
                + divisor + ") - 1 END)";
    }
}
