package io.taskmetering.application.port.in;

import io.taskmetering.application.model.PurgeCounts;

public interface PurgeExpiredUseCase {
    PurgeCounts purgeExpired(PurgeExpiredCommand command);
}
