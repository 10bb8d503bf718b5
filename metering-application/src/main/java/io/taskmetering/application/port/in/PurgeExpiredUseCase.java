package io.taskmetering.application.port.in;

import io.taskmetering.application.port.out.RetentionPurgePort.PurgeCounts;

public interface PurgeExpiredUseCase {
    /** Deletes what has outlived the retention TTL, as of the service clock. */
    PurgeCounts purgeExpired();
}
