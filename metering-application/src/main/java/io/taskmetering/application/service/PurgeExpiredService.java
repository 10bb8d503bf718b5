package io.taskmetering.application.service;

import io.taskmetering.application.port.out.RetentionPurgePort.PurgeCounts;
import io.taskmetering.application.port.in.PurgeExpiredUseCase;
import io.taskmetering.application.port.out.RetentionPurgePort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.domain.usage.RetentionPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes usage records, settled submission attempts, never-charged decisions and the spans of settled traces older
 * than the retention TTL, and spans that were never part of a task once {@link #UNUSED_SPANS_KEPT} old (or the TTL,
 * if shorter), in
 * transactions of at most {@value #ROWS_PER_TRANSACTION} rows of each kind: the first purge after a long time (or
 * after the TTL was shortened) must not hold one transaction open for millions of rows while outcomes keep arriving.
 */
public final class PurgeExpiredService implements PurgeExpiredUseCase {
    static final int ROWS_PER_TRANSACTION = 10_000;
    /**
     * How long spans of traces without any agent invocation are kept: far beyond any exporter's retries and the
     * settle and parent waits, so an agent span arriving late still finds its children; then they are nobody's
     * evidence.
     */
    public static final Duration UNUSED_SPANS_KEPT = Duration.ofDays(1);

    private final UnitOfWork unitOfWork;
    private final RetentionPurgePort purge;
    private final RetentionPolicy retention;
    private final Clock clock;
    private final int rowsPerTransaction;

    public PurgeExpiredService(UnitOfWork unitOfWork, RetentionPurgePort purge, RetentionPolicy retention, Clock clock) {
        this(unitOfWork, purge, retention, clock, ROWS_PER_TRANSACTION);
    }

    PurgeExpiredService(UnitOfWork unitOfWork, RetentionPurgePort purge, RetentionPolicy retention, Clock clock,
                        int rowsPerTransaction) {
        this.unitOfWork = unitOfWork;
        this.purge = purge;
        this.retention = retention;
        this.clock = clock;
        this.rowsPerTransaction = rowsPerTransaction;
    }

    @Override
    public PurgeCounts purgeExpired() {
        Instant now = clock.instant();
        Instant cutoff = retention.cutoff(now);
        Instant unusedCutoff = later(cutoff, now.minus(UNUSED_SPANS_KEPT));
        PurgeCounts total = new PurgeCounts(0, 0, 0, 0);
        PurgeCounts step;
        do {
            step = unitOfWork.inTransaction(() -> purge.purgeBefore(cutoff, rowsPerTransaction).plus(
                    new PurgeCounts(0, 0, 0, purge.purgeUnusedTraceSpans(unusedCutoff, rowsPerTransaction))));
            total = total.plus(step);
        } while (step.reached(rowsPerTransaction));
        return total;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
