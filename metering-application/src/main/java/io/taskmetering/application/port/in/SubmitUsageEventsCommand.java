package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.InvalidValueException;

/** One submission run: claim up to {@code maxEvents} due usage events, send them, record the answers. */
public record SubmitUsageEventsCommand(int maxEvents) {
    public static final int DEFAULT_MAX_EVENTS = 500;

    public SubmitUsageEventsCommand {
        if (maxEvents < 1) {
            throw new InvalidValueException("max_events", "must be at least 1");
        }
    }

    public static SubmitUsageEventsCommand defaults() {
        return new SubmitUsageEventsCommand(DEFAULT_MAX_EVENTS);
    }
}
