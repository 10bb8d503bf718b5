package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.InvalidValueException;

/** Close every hour that is due (at most {@code maxBuckets} per run) and write its usage event to the outbox. */
public record CloseHoursCommand(int maxBuckets) {
    public static final int DEFAULT_MAX_BUCKETS = 10_000;

    public CloseHoursCommand {
        if (maxBuckets < 1) {
            throw new InvalidValueException("max_buckets", "must be at least 1");
        }
    }

    public static CloseHoursCommand defaults() {
        return new CloseHoursCommand(DEFAULT_MAX_BUCKETS);
    }
}
