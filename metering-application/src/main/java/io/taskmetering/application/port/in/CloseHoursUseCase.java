package io.taskmetering.application.port.in;

public interface CloseHoursUseCase {
    CloseHoursResult closeDueHours(CloseHoursCommand command);
}
