package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.InvalidValueException;

import java.time.LocalDate;

/**
 * Compare one UTC day of usage events recorded as accepted with what the Marketplace reports for that day. Whether the
 * day is in range (today or one of the {@link ReconcileUseCase#MAX_DAYS_BACK} days before) depends on the clock, so the
 * use case answers it.
 */
public record ReconcileCommand(LocalDate day) {
    public ReconcileCommand {
        if (day == null) {
            throw new InvalidValueException("day", "is required");
        }
    }
}
