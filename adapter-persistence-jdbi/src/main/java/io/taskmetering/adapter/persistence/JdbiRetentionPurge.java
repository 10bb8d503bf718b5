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
 * dry-run recorded), decisions that never became a charge, and the spans and settled task candidates of traces with
 * nothing left to settle; and spans of traces that never had a task candidate, after their own shorter bound. Never charges, ledger entries (so never an open
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

        // Spans of traces with task candidates, none of them still to be settled; then the settled candidates.
        @SqlUpdate("DELETE FROM trace_spans WHERE (trace_id, span_id) IN (SELECT s.trace_id, s.span_id "
                + "FROM trace_spans s WHERE s.received_at_us < :cutoff "
                + "AND EXISTS (SELECT 1 FROM trace_task_candidates c WHERE c.trace_id = s.trace_id) "
                + "AND NOT EXISTS (SELECT 1 FROM trace_task_candidates c WHERE c.trace_id = s.trace_id "
                + "AND c.state = 'PENDING') ORDER BY s.received_at_us, s.trace_id, s.span_id LIMIT :limit)")
        int settledTraceSpans(@Bind("cutoff") long cutoff, @Bind("limit") int limit);

        // Only once the trace's spans before the cutoff are gone, so those are never taken for unused ones.
        @SqlUpdate("DELETE FROM trace_task_candidates WHERE (trace_id, span_id) IN (SELECT c.trace_id, c.span_id "
                + "FROM trace_task_candidates c WHERE c.state <> 'PENDING' AND c.decided_at_us < :cutoff "
                + "AND NOT EXISTS (SELECT 1 FROM trace_spans s WHERE s.trace_id = c.trace_id "
                + "AND s.received_at_us < :cutoff) ORDER BY c.decided_at_us, c.trace_id, c.span_id LIMIT :limit)")
        int settledCandidates(@Bind("cutoff") long cutoff, @Bind("limit") int limit);

        @SqlUpdate("DELETE FROM trace_spans WHERE (trace_id, span_id) IN (SELECT s.trace_id, s.span_id "
                + "FROM trace_spans s WHERE s.received_at_us < :cutoff "
                + "AND NOT EXISTS (SELECT 1 FROM trace_task_candidates c WHERE c.trace_id = s.trace_id) "
                + "ORDER BY s.received_at_us, s.trace_id, s.span_id LIMIT :limit)")
        int unusedTraceSpans(@Bind("cutoff") long cutoff, @Bind("limit") int limit);
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
            long spans = dao.settledTraceSpans(micros, limit);
            dao.settledCandidates(micros, limit);
            return new PurgeCounts(records, decisions, attempts, spans);
        });
        LOG.info("retention purge: cutoff={} usage_records={} decisions={} submission_attempts={} trace_spans={}",
                cutoff, counts.usageRecords(), counts.decisions(), counts.submissionAttempts(), counts.traceSpans());
        return counts;
    }

    @Override
    public long purgeUnusedTraceSpans(Instant receivedBefore, int limit) {
        long spans = db.call("purge unused trace spans", h -> h.attach(Dao.class)
                .unusedTraceSpans(Micros.of(receivedBefore), limit));
        LOG.info("unused trace spans purged: received_before={} trace_spans={}", receivedBefore, spans);
        return spans;
    }
}
