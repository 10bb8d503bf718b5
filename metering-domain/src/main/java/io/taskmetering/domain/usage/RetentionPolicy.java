package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long usage records (and attempts) are kept. It never applies to ledger entries, open disputes or hours
 * not yet accepted: those are billing facts, not usage metrics.
 */
public record RetentionPolicy(Duration ttl) {
    public RetentionPolicy {
        Require.present("retention", ttl);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidValueException("retention", "must be positive");
        }
    }

    public static RetentionPolicy days(long days) {
        try {
            return new RetentionPolicy(Duration.ofDays(days));
        } catch (ArithmeticException outOfRange) {
            throw new InvalidValueException("retention", "is out of range");
        }
    }

    /** {@code now - ttl}; {@link Instant#MIN} when the ttl reaches back further than time does. */
    public Instant cutoff(Instant now) {
        Objects.requireNonNull(now, "now");
        return ttl.compareTo(Duration.between(Instant.MIN, now)) >= 0 ? Instant.MIN : now.minus(ttl);
    }

    /** Whether something recorded at {@code timestamp} may be purged: strictly older than the cutoff. */
    public boolean isExpired(Instant timestamp, Instant now) {
        Objects.requireNonNull(timestamp, "timestamp");
        return timestamp.isBefore(cutoff(now));
    }
}
