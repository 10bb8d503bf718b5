package io.taskmetering.domain.billing;

/** Which hour an outcome is billed in; {@code late} when its own hour had closed and it moved to the oldest open one. */
public record HourAttribution(BillingHour hour, boolean late) {
    public HourAttribution {
        if (hour == null) {
            throw new IllegalArgumentException("hour is required");
        }
    }
}
