package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.InvalidValueException;

import java.time.LocalDate;

/** Compare one UTC day of accepted usage events with what the Marketplace recorded for that day. */
public record ReconcileUsageCommand(LocalDate day) {
    public ReconcileUsageCommand {
        if (day == null) {
            throw new InvalidValueException("day", "is required");
        }
    }
}
