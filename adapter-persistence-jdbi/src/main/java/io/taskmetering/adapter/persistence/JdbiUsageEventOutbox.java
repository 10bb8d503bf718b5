package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.out.ClaimUsageEventsPort;
import io.taskmetering.application.model.LeasedUsageEvent;
import io.taskmetering.application.port.out.LoadUsageEventsPort;
import io.taskmetering.application.port.out.RecordSubmissionsPort;
import io.taskmetering.application.port.out.SaveUsageEventsPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The usage-event outbox. Claims are leases ({@code claimed_by}, {@code lease_until_us}) taken with
 * {@code SELECT … FOR UPDATE SKIP LOCKED} (PostgreSQL and H2 both support it) followed by a guarded UPDATE that only
 * succeeds while the event is still PENDING and unleased, so an event is claimed once even if the two databases'
 * lock semantics differed.
 */
final class JdbiUsageEventOutbox implements SaveUsageEventsPort, ClaimUsageEventsPort, RecordSubmissionsPort,
        LoadUsageEventsPort {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiUsageEventOutbox.class);
    static final String COLUMNS = "subscription_ref, dimension, hour_us, quantity, plan_id, status, usage_event_id, "
            + "message_time_us, attempts, last_error, request_body, created_at_us, updated_at_us";
    private static final String INSERT = "INSERT INTO usage_events (subscription_ref, dimension, hour_us, quantity, plan_id, "
            + "status, attempts, created_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?) ON CONFLICT DO NOTHING";
    private static final String CLAIM = "UPDATE usage_events SET claimed_by = ?, lease_until_us = ?, updated_at_us = ? "
            + "WHERE subscription_ref = ? AND dimension = ? AND hour_us = ? AND status = 'PENDING' "
            + "AND (lease_until_us IS NULL OR lease_until_us <= ?)";
    private static final String INSERT_ATTEMPT = "INSERT INTO submission_attempts (subscription_ref, dimension, hour_us, "
            + "attempt_number, request_id, correlation_id, at_us, http_status, outcome, detail, claimer) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Static SQL of this store. */
    public interface Dao {
        @SqlQuery("SELECT " + COLUMNS + " FROM usage_events WHERE status = 'PENDING' "
                + "AND (lease_until_us IS NULL OR lease_until_us <= :now) "
                + "ORDER BY hour_us, subscription_ref, dimension LIMIT :limit FOR UPDATE SKIP LOCKED")
        @RegisterRowMapper(RecordMapper.class)
        List<UsageEventRecord> due(@Bind("now") long now, @Bind("limit") int limit);

        @SqlQuery("SELECT subscription_ref, dimension, hour_us, claimed_by, lease_until_us FROM usage_events "
                + "WHERE status = 'PENDING' AND lease_until_us > :now AND claimed_by <> :claimer "
                + "ORDER BY hour_us, subscription_ref, dimension LIMIT :limit")
        @RegisterRowMapper(LeaseMapper.class)
        List<LeasedUsageEvent> leasedElsewhere(@Bind("now") long now, @Bind("claimer") String claimer,
                                              @Bind("limit") int limit);

        @SqlQuery("SELECT " + COLUMNS + " FROM usage_events WHERE subscription_ref = :sub AND dimension = :dim AND hour_us = :hour")
        @RegisterRowMapper(RecordMapper.class)
        Optional<UsageEventRecord> find(@Bind("sub") String subscription, @Bind("dim") String dimension, @Bind("hour") long hour);

        @SqlQuery("SELECT " + COLUMNS + " FROM usage_events WHERE subscription_ref = :sub AND dimension = :dim AND hour_us = :hour "
                + "FOR UPDATE")
        @RegisterRowMapper(RecordMapper.class)
        Optional<UsageEventRecord> lock(@Bind("sub") String subscription, @Bind("dim") String dimension, @Bind("hour") long hour);

        /** Terminal statuses never move back; the claim is released only by its holder. */
        @SqlUpdate("UPDATE usage_events SET "
                + "attempts = attempts + :attempts, "
                + "status = CASE WHEN status = 'PENDING' THEN :status ELSE status END, "
                + "usage_event_id = CASE WHEN status = 'PENDING' AND :usageEventId IS NOT NULL THEN :usageEventId ELSE usage_event_id END, "
                + "message_time_us = CASE WHEN status = 'PENDING' AND :messageTime IS NOT NULL THEN :messageTime ELSE message_time_us END, "
                + "marketplace_quantity = CASE WHEN :marketplaceQuantity IS NOT NULL THEN :marketplaceQuantity ELSE marketplace_quantity END, "
                + "last_error = CASE WHEN status = 'PENDING' THEN :lastError ELSE last_error END, "
                + "request_body = CASE WHEN :requestBody IS NOT NULL THEN :requestBody ELSE request_body END, "
                + "lease_until_us = CASE WHEN claimed_by = :claimer THEN NULL ELSE lease_until_us END, "
                + "claimed_by = CASE WHEN claimed_by = :claimer THEN NULL ELSE claimed_by END, "
                + "updated_at_us = :at "
                + "WHERE subscription_ref = :sub AND dimension = :dim AND hour_us = :hour")
        int record(@Bind("sub") String subscription, @Bind("dim") String dimension, @Bind("hour") long hour,
                   @Bind("attempts") int attempts, @Bind("status") String status, @Bind("usageEventId") String usageEventId,
                   @Bind("messageTime") Long messageTime, @Bind("marketplaceQuantity") Long marketplaceQuantity,
                   @Bind("lastError") String lastError, @Bind("requestBody") String requestBody,
                   @Bind("claimer") String claimer, @Bind("at") long at);

        @SqlQuery("SELECT attempt_number, request_id, correlation_id, at_us, http_status, outcome, detail "
                + "FROM submission_attempts WHERE subscription_ref = :sub AND dimension = :dim AND hour_us = :hour ORDER BY id")
        @RegisterRowMapper(AttemptMapper.class)
        List<SubmissionAttempt> attempts(@Bind("sub") String subscription, @Bind("dim") String dimension, @Bind("hour") long hour);
    }

    private final Db db;

    JdbiUsageEventOutbox(Db db) {
        this.db = db;
    }

    @Override
    public List<InsertResult> insertUsageEvents(List<UsageEvent> events, Instant at) {
        if (events.isEmpty()) {
            return List.of();
        }
        long now = Micros.of(at);
        int[] counts = db.call("insert usage events", h -> Batches.execute(h, INSERT, events,
                Comparator.comparing(UsageEvent::key), (b, e) -> b
                        .bind(0, e.key().subscription().value())
                        .bind(1, e.key().dimension().value())
                        .bind(2, Micros.of(e.key().hour().start()))
                        .bind(3, e.quantity())
                        .bind(4, e.planId().value())
                        .bind(5, now)
                        .bind(6, now)));
        return RowInserts.insertResults(counts);
    }

    @Override
    public List<UsageEvent> claimDueUsageEvents(int limit, Instant now, Duration lease, String claimer) {
        if (limit < 1) {
            return List.of();
        }
        long nowMicros = Micros.of(now);
        long until = Micros.of(now.plus(lease));
        return db.call("claim usage events", h -> {
            List<UsageEventRecord> due = h.attach(Dao.class).due(nowMicros, limit);
            if (due.isEmpty()) {
                return List.<UsageEvent>of();
            }
            List<UsageEvent> claimed = Batches.updated(h, CLAIM, due, (b, r) -> b
                    .bind(0, claimer)
                    .bind(1, until)
                    .bind(2, nowMicros)
                    .bind(3, r.event().key().subscription().value())
                    .bind(4, r.event().key().dimension().value())
                    .bind(5, Micros.of(r.event().key().hour().start()))
                    .bind(6, nowMicros)).stream().map(UsageEventRecord::event).toList();
            LOG.debug("usage events claimed: claimer={} count={} lease_until={}", claimer, claimed.size(), now.plus(lease));
            return claimed;
        });
    }

    @Override
    public List<LeasedUsageEvent> leasedElsewhere(int limit, Instant now, String claimer) {
        if (limit < 1) {
            return List.of();
        }
        return db.call("find usage events leased elsewhere", h -> h.attach(Dao.class)
                .leasedElsewhere(Micros.of(now), claimer, limit));
    }

    @Override
    public void recordSubmission(SubmissionResult result, String claimer, Instant at) {
        BucketKey key = result.key();
        long hour = Micros.of(key.hour().start());
        long atMicros = Micros.of(at);
        String lastError = lastError(result);
        db.run("record submission", h -> {
            if (!result.attempts().isEmpty()) {
                Batches.execute(h, INSERT_ATTEMPT, result.attempts(), null, (b, a) -> b
                        .bind(0, key.subscription().value())
                        .bind(1, key.dimension().value())
                        .bind(2, hour)
                        .bind(3, a.number())
                        .bind(4, a.requestId())
                        .bind(5, a.correlationId())
                        .bind(6, a.at() == null ? atMicros : Micros.of(a.at()))
                        .bind(7, a.httpStatus())
                        .bind(8, truncate(a.outcome(), 256))
                        .bind(9, truncate(a.detail(), 4000))
                        .bind(10, claimer));
            }
            int updated = h.attach(Dao.class).record(key.subscription().value(), key.dimension().value(), hour,
                    result.attempts().size(), result.status().eventStatus().name(), result.usageEventId(),
                    Micros.ofNullable(result.messageTime()), result.marketplaceQuantity(), lastError, result.requestBody(),
                    claimer, atMicros);
            if (updated != 1) {
                throw new IllegalStateException("no usage event in the outbox for " + key);
            }
        });
        LOG.info("usage event submission recorded: bucket={} status={} attempts={} claimer={}", key, result.status(),
                result.attempts().size(), claimer);
    }

    private static String lastError(SubmissionResult result) {
        if (result.errorCode() == null && result.errorMessage() == null) {
            return null;
        }
        String text = (result.errorCode() == null ? "" : result.errorCode())
                + (result.errorCode() != null && result.errorMessage() != null ? ": " : "")
                + (result.errorMessage() == null ? "" : result.errorMessage());
        return truncate(text, 4000);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public Optional<UsageEventRecord> findUsageEvent(BucketKey key) {
        return db.call("find usage event", h -> h.attach(Dao.class)
                .find(key.subscription().value(), key.dimension().value(), Micros.of(key.hour().start())));
    }

    @Override
    public Optional<UsageEventRecord> lockUsageEvent(BucketKey key) {
        return db.call("lock usage event", h -> h.attach(Dao.class)
                .lock(key.subscription().value(), key.dimension().value(), Micros.of(key.hour().start())));
    }

    @Override
    public long countUsageEvents(UsageEventStatus status) {
        return db.call("count usage events", h -> h.createQuery("SELECT COUNT(*) FROM usage_events WHERE status = :status")
                .bind("status", status.name()).mapTo(Long.class).one());
    }

    @Override
    public Page<UsageEventRecord> findUsageEvents(UsageEventQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM usage_events WHERE 1 = 1");
        Map<String, Object> binds = new HashMap<>();
        if (!query.subscriptions().isEmpty()) {
            sql.append(" AND subscription_ref IN (<subs>)");
        }
        if (query.status() != null) {
            sql.append(" AND status = :status");
            binds.put("status", query.status().name());
        }
        if (query.from() != null) {
            sql.append(" AND hour_us >= :from");
            binds.put("from", Micros.of(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND hour_us < :to");
            binds.put("to", Micros.of(query.to()));
        }
        if (query.cursor() != null) {
            List<Object> c = Cursors.decode(query.cursor(), 3);
            sql.append(" AND (hour_us > :cHour OR (hour_us = :cHour AND (subscription_ref > :cSub "
                    + "OR (subscription_ref = :cSub AND dimension > :cDim))))");
            binds.put("cHour", Cursors.longAt(c, 0));
            binds.put("cSub", Cursors.stringAt(c, 1));
            binds.put("cDim", Cursors.stringAt(c, 2));
        }
        sql.append(" ORDER BY hour_us, subscription_ref, dimension LIMIT :limit");
        binds.put("limit", query.limit() + 1);
        List<UsageEventRecord> rows = db.call("find usage events", h -> {
            Query q = h.createQuery(sql.toString()).bindMap(binds);
            if (!query.subscriptions().isEmpty()) {
                q.bindList("subs", query.subscriptions().stream().map(SubscriptionRef::value).sorted().toList());
            }
            return q.map(new RecordMapper()).list();
        });
        if (rows.size() <= query.limit()) {
            return new Page<>(rows, null);
        }
        List<UsageEventRecord> page = rows.subList(0, query.limit());
        BucketKey last = page.get(page.size() - 1).event().key();
        return new Page<>(page, Cursors.encode(Micros.of(last.hour().start()), last.subscription().value(),
                last.dimension().value()));
    }

    @Override
    public List<SubmissionAttempt> findAttempts(BucketKey key) {
        return db.call("find submission attempts", h -> h.attach(Dao.class)
                .attempts(key.subscription().value(), key.dimension().value(), Micros.of(key.hour().start())));
    }

    /** Maps a usage_events row. */
    public static final class RecordMapper implements RowMapper<UsageEventRecord> {
        @Override
        public UsageEventRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
            BucketKey key = bucketKey(rs);
            long messageTime = rs.getLong("message_time_us");
            Instant message = rs.wasNull() ? null : Micros.toInstant(messageTime);
            return new UsageEventRecord(new UsageEvent(key, rs.getLong("quantity"), new PlanId(rs.getString("plan_id"))),
                    UsageEventStatus.valueOf(rs.getString("status")), rs.getString("usage_event_id"), message,
                    rs.getInt("attempts"), rs.getString("last_error"), rs.getString("request_body"),
                    Micros.toInstant(rs.getLong("created_at_us")), Micros.toInstant(rs.getLong("updated_at_us")));
        }
    }

    /** Maps a leased usage_events row to who holds it and until when. */
    public static final class LeaseMapper implements RowMapper<LeasedUsageEvent> {
        @Override
        public LeasedUsageEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new LeasedUsageEvent(bucketKey(rs), rs.getString("claimed_by"),
                    Micros.toInstant(rs.getLong("lease_until_us")));
        }
    }

    private static BucketKey bucketKey(ResultSet rs) throws SQLException {
        return new BucketKey(new SubscriptionRef(rs.getString("subscription_ref")),
                new Dimension(rs.getString("dimension")), new BillingHour(Micros.toInstant(rs.getLong("hour_us"))));
    }

    /** Maps a submission_attempts row. */
    public static final class AttemptMapper implements RowMapper<SubmissionAttempt> {
        @Override
        public SubmissionAttempt map(ResultSet rs, StatementContext ctx) throws SQLException {
            int status = rs.getInt("http_status");
            Integer httpStatus = rs.wasNull() ? null : status;
            return new SubmissionAttempt(rs.getInt("attempt_number"), rs.getString("request_id"),
                    rs.getString("correlation_id"), Micros.toInstant(rs.getLong("at_us")), httpStatus,
                    rs.getString("outcome"), rs.getString("detail"));
        }
    }
}
