package io.taskmetering.adapter.marketplace;

import java.util.Locale;

/** How usage events are sent: up to 25 per {@code POST /batchUsageEvent}, or one per {@code POST /usageEvent}. */
public enum SubmissionMode {
    BATCH,
    SINGLE;

    public static SubmissionMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "batch" -> BATCH;
            case "single" -> SINGLE;
            default -> throw new IllegalArgumentException("must be batch or single");
        };
    }
}
