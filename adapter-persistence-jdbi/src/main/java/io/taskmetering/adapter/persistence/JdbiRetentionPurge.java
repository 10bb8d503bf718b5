package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.PurgeCounts;
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

    /** Static SQL of this store. */
    public interface Dao {
        @SqlUpdate("DELETE FROM usage_records WHERE ts_us < :cutoff")
        int usageRecords(@Bind("cutoff") long cutoff);

        @SqlUpdate("DELETE FROM submission_attempts WHERE at_us < :cutoff AND EXISTS (SELECT 1 FROM usage_events e "
                + "WHERE e.subscription_ref = submission_attempts.subscription_ref "
                + "AND e.dimension = submission_attempts.dimension AND e.hour_us = submission_attempts.hour_us "
                + "AND e.status IN ('ACCEPTED', 'DRY_RUN'))")
        int settledAttempts(@Bind("cutoff") long cutoff);

        @SqlUpdate("DELETE FROM decision_outcomes WHERE correlation_id IN (SELECT d.correlation_id FROM decisions d "
                + "WHERE d.received_at_us < :cutoff "
                + "AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.correlation_id = d.correlation_id))")
        int unchargedOutcomes(@Bind("cutoff") long cutoff);

        @SqlUpdate("DELETE FROM decisions WHERE received_at_us < :cutoff "
                + "AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.correlation_id = decisions.correlation_id)")
        int unchargedDecisions(@Bind("cutoff") long cutoff);
    }

    private final Db db;

    JdbiRetentionPurge(Db db) {
        this.db = db;
    }

    @Override
    public PurgeCounts purgeBefore(Instant cutoff) {
        long micros = Micros.of(cutoff);
        PurgeCounts counts = db.call("retention purge", h -> {
            Dao dao = h.attach(Dao.class);
            long records = dao.usageRecords(micros);
            long attempts = dao.settledAttempts(micros);
            dao.unchargedOutcomes(micros);
            long decisions = dao.unchargedDecisions(micros);
            return new PurgeCounts(records, decisions, attempts);
        });
        LOG.info("retention purge: cutoff={} usage_records={} decisions={} submission_attempts={}", cutoff,
                counts.usageRecords(), counts.decisions(), counts.submissionAttempts());
        return counts;
    }
}
