package io.taskmetering.application.port.in;

import io.taskmetering.domain.charge.Charge;

public interface ReviewChargeUseCase {
    /** @throws NotFoundException when no charge has this correlation id */
    Charge review(ReviewChargeCommand command);
}
