package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.RetentionPurgePort.PurgeCounts;
import io.taskmetering.application.port.out.RetentionPurgePort;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Deletes what outlived the retention TTL: usage records, submission attempts of hours the Marketplace accepted (or
 * dry-run recorded), and decisions that never became a charge. Never charges, ledger entries (so never an open
 * dispute), hour buckets or usage events, nor attempts of hours not yet accepted.
 */
final class JdbiRetentionPurge implements RetentionPurgePort {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiRetentionPurge.class);

    /** Static SQL of this store. Each statement deletes at most {@code :limit} rows, oldest first. */
    public interface Dao {
        @SqlUpdate("DELETE FROM usage_records WHERE (consumer_id, task_id, ts_us) IN (SELECT consumer_id, task_id, ts_us "
                + "FROM usage_records WHERE ts_us < :cutoff ORDER BY ts_us, consumer_id, task_id LIMIT :limit)")
        int usageRecords(@Bind("cutoff") long cutoff, @Bind("limit") int limit);

        @SqlUpdate("DELETE FROM submission_attempts WHERE id IN (SELECT a.id FROM submission_attempts a "
                + "WHERE a.at_us < :cutoff AND EXISTS (SELECT 1 FROM usage_events e "
                + "WHERE e.subscription_ref = a.subscription_ref AND e.dimension = a.dimension AND e.hour_us = a.hour_us "
                + "AND e.status IN ('ACCEPTED', 'DRY_RUN')) ORDER BY a.id LIMIT :limit)")
        int settledAttempts(@Bind("cutoff") long cutoff, @Bind("limit") int limit);

        @SqlUpdate("DELETE FROM decisions WHERE correlation_id IN (" + UNCHARGED + ")")
        int unchargedDecisions(@Bind("cutoff") long cutoff, @Bind("limit") int limit);
    }

    /** The oldest {@code :limit} decisions received before the cutoff that never became a charge. */
    private static final String UNCHARGED = "SELECT d.correlation_id FROM decisions d WHERE d.received_at_us < :cutoff "
            + "AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.correlation_id = d.correlation_id) "
            + "ORDER BY d.received_at_us, d.correlation_id LIMIT :limit";

    private final Db db;

    JdbiRetentionPurge(Db db) {
        this.db = db;
    }

    @Override
    public PurgeCounts purgeBefore(Instant cutoff, int limit) {
        long micros = Micros.of(cutoff);
        PurgeCounts counts = db.call("retention purge", h -> {
            Dao dao = h.attach(Dao.class);
            long records = dao.usageRecords(micros, limit);
            long attempts = dao.settledAttempts(micros, limit);
            long decisions = dao.unchargedDecisions(micros, limit);
            return new PurgeCounts(records, decisions, attempts);
        });
        LOG.info("retention purge: cutoff={} usage_records={} decisions={} submission_attempts={}", cutoff,
                counts.usageRecords(), counts.decisions(), counts.submissionAttempts());
        return counts;
    }
}
