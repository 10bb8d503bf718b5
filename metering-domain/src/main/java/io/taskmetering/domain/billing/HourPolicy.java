package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlausibleTime;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * When hours close and where outcomes land. An hour closes at {@code end + grace}; an outcome whose hour has closed is
 * billed in the oldest hour still open and marked late, so nothing is lost and nothing is billed twice.
 */
public record HourPolicy(Duration grace) {
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);

    public HourPolicy {
        if (grace == null || grace.isNegative()) {
            throw new InvalidValueException("hour_grace", "must be a non-negative duration");
        }
        if (grace.compareTo(Duration.ofHours(23)) > 0) {
            // The Marketplace rejects hours older than 24 h; a longer grace would leave no time to submit.
            throw new InvalidValueException("hour_grace", "must be at most PT23H");
        }
    }

    public static HourPolicy defaults() {
        return new HourPolicy(DEFAULT_GRACE);
    }

    public Instant closesAt(BillingHour hour) {
        return hour.end().plus(grace);
    }

    public boolean isClosed(BillingHour hour, Instant now) {
        return !now.isBefore(closesAt(hour));
    }

    /** The oldest hour that is still open at {@code now}: the hour containing {@code now - grace}. */
    public BillingHour oldestOpenHour(Instant now) {
        return BillingHour.containing(now.minus(grace));
    }

    /** The newest hour that is closed at {@code now} (every hour up to and including it may be closed). */
    public BillingHour newestClosedHour(Instant now) {
        return oldestOpenHour(now).previous();
    }

    /**
     * The hour an outcome that happened at {@code occurredAt} is billed in, seen at {@code now}.
     *
     * @throws InvalidValueException naming {@code occurred_at} when it lies further in the future than the allowed skew
     */
    public HourAttribution attribute(Instant occurredAt, Instant now) {
        PlausibleTime.requireEventTime("occurred_at", occurredAt, now);
        BillingHour own = BillingHour.containing(occurredAt);
        if (isClosed(own, now)) {
            return new HourAttribution(oldestOpenHour(now), true);
        }
        return new HourAttribution(own, false);
    }

    /**
     * Where a charge goes when the hour it was meant for turns out to be closed already (a close that won a race).
     * Keeps the late flag's meaning: the charge is not in its own hour.
     */
    public HourAttribution reattribute(BillingHour closedHour, Instant now) {
        BillingHour oldestOpen = oldestOpenHour(now);
        BillingHour target = oldestOpen.compareTo(closedHour) > 0 ? oldestOpen : closedHour.next();
        return new HourAttribution(target, true);
    }

    /**
     * Where a charge meant for {@code wanted} is counted: that hour while it is open, by the clock and by the store
     * ({@code closedInStore} says whether the store already closed an hour), else the next open hour, marked late.
     */
    public HourAttribution place(HourAttribution wanted, Predicate<BillingHour> closedInStore, Instant now) {
        HourAttribution attribution = wanted;
        while (isClosed(attribution.hour(), now) || closedInStore.test(attribution.hour())) {
            attribution = reattribute(attribution.hour(), now);
        }
        return attribution;
    }
}
