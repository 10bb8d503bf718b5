package io.taskmetering.application.service;

import io.taskmetering.application.model.PurgeCounts;
import io.taskmetering.application.port.in.PurgeExpiredCommand;
import io.taskmetering.application.port.in.PurgeExpiredUseCase;
import io.taskmetering.application.port.out.RetentionPurgePort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.domain.usage.RetentionPolicy;

import java.time.Clock;

/** Deletes usage records, settled submission attempts and never-charged decisions older than the retention TTL. */
public final class PurgeExpiredService implements PurgeExpiredUseCase {
    private final UnitOfWork unitOfWork;
    private final RetentionPurgePort purge;
    private final RetentionPolicy retention;
    private final Clock clock;

    public PurgeExpiredService(UnitOfWork unitOfWork, RetentionPurgePort purge, RetentionPolicy retention, Clock clock) {
        this.unitOfWork = unitOfWork;
        this.purge = purge;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public PurgeCounts purgeExpired(PurgeExpiredCommand command) {
        return unitOfWork.inTransaction(() -> purge.purgeBefore(retention.cutoff(clock.instant())));
    }
}
