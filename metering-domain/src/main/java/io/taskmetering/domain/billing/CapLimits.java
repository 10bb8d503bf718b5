package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.InvalidValueException;

/** Hourly and daily limits for one subscription; 0 means unlimited. */
public record CapLimits(long hourly, long daily) {
    public static final CapLimits UNLIMITED = new CapLimits(0, 0);

    public CapLimits {
        if (hourly < 0) {
            throw new InvalidValueException("cap_hourly", "must not be negative (0 = unlimited)");
        }
        if (daily < 0) {
            throw new InvalidValueException("cap_daily", "must not be negative (0 = unlimited)");
        }
    }

    /**
     * Checks one more admission against the counts already admitted in its hour and day.
     * The hourly cap is checked first, so an outcome over both is reported as over the hourly cap.
     */
    public CapVerdict check(long admittedInHour, long admittedInDay) {
        if (hourly > 0 && admittedInHour + 1 > hourly) {
            return new CapVerdict.OverCap(CapType.HOURLY, hourly, admittedInHour + 1);
        }
        if (daily > 0 && admittedInDay + 1 > daily) {
            return new CapVerdict.OverCap(CapType.DAILY, daily, admittedInDay + 1);
        }
        return CapVerdict.WithinCaps.INSTANCE;
    }
}
