package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.CandidateSettlement;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.model.TaskCandidate;
import io.taskmetering.application.port.out.ClaimTaskCandidatesPort;
import io.taskmetering.application.port.out.LoadTraceSpansPort;
import io.taskmetering.application.port.out.SaveTraceSpansPort;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.ParentLocality;
import io.taskmetering.domain.trace.SpanEvent;
import io.taskmetering.domain.trace.SpanKind;
import io.taskmetering.domain.trace.SpanStatus;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Kept spans and task candidates. Both are inserted with {@code ON CONFLICT DO NOTHING} on their (trace id, span id)
 * primary key. Candidates are claimed as the usage-event outbox claims events: {@code SELECT … FOR UPDATE SKIP LOCKED},
 * then a guarded UPDATE that only succeeds while the candidate is still PENDING and unleased.
 */
final class JdbiTraceSpans implements SaveTraceSpansPort, ClaimTaskCandidatesPort, LoadTraceSpansPort {
    private static final String INSERT_SPAN = "INSERT INTO trace_spans (trace_id, span_id, received_at_us, span_json) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_CANDIDATE = "INSERT INTO trace_task_candidates (trace_id, span_id, "
            + "subscription_ref, arrived_at_us, state, due_at_us) VALUES (?, ?, ?, ?, 'PENDING', ?) ON CONFLICT DO NOTHING";
    private static final String CLAIM = "UPDATE trace_task_candidates SET claimed_by = ?, lease_until_us = ? "
            + "WHERE trace_id = ? AND span_id = ? AND state = 'PENDING' AND (lease_until_us IS NULL OR lease_until_us <= ?)";
    /** A postponed candidate keeps PENDING with a new due time; the others leave PENDING for good. */
    private static final String SETTLE = "UPDATE trace_task_candidates SET state = ?, due_at_us = COALESCE(?, due_at_us), "
            + "decided_at_us = ?, correlation_id = ?, reason = ?, claimed_by = NULL, lease_until_us = NULL "
            + "WHERE trace_id = ? AND span_id = ? AND state = 'PENDING'";
    private static final String CANDIDATE_COLUMNS = "trace_id, span_id, subscription_ref, arrived_at_us";
    private static final Comparator<ReceivedSpan> SPAN_ORDER = Comparator
            .comparing((ReceivedSpan s) -> s.span().traceId()).thenComparing(s -> s.span().spanId());
    private static final Comparator<TaskCandidate> CANDIDATE_ORDER = Comparator
            .comparing(TaskCandidate::traceId).thenComparing(TaskCandidate::spanId);
    private static final Comparator<CandidateSettlement> SETTLEMENT_ORDER = Comparator
            .comparing(CandidateSettlement::traceId).thenComparing(CandidateSettlement::spanId);
    private static final int REASON_LENGTH = 1024;

    /** Static SQL of this store. */
    public interface Dao {
        @SqlQuery("SELECT " + CANDIDATE_COLUMNS + " FROM trace_task_candidates WHERE state = 'PENDING' "
                + "AND due_at_us <= :now AND (lease_until_us IS NULL OR lease_until_us <= :now) "
                + "ORDER BY due_at_us, trace_id, span_id LIMIT :limit FOR UPDATE SKIP LOCKED")
        @RegisterRowMapper(CandidateMapper.class)
        List<TaskCandidate> due(@Bind("now") long now, @Bind("limit") int limit);

        @SqlQuery("SELECT " + CANDIDATE_COLUMNS + " FROM trace_task_candidates "
                + "WHERE correlation_id = :correlationId AND state = 'TASK'")
        @RegisterRowMapper(CandidateMapper.class)
        Optional<TaskCandidate> decided(@Bind("correlationId") String correlationId);

        @SqlQuery("SELECT received_at_us, span_json FROM trace_spans WHERE trace_id IN (<traceIds>)")
        @RegisterRowMapper(SpanMapper.class)
        List<ReceivedSpan> traces(@BindList("traceIds") List<String> traceIds);
    }

    private final Db db;

    JdbiTraceSpans(Db db) {
        this.db = db;
    }

    @Override
    public List<InsertResult> insertTraceSpans(List<ReceivedSpan> spans) {
        if (spans.isEmpty()) {
            return List.of();
        }
        int[] counts = db.call("insert trace spans", h -> RowInserts.insertIfAbsent(h, db.dialect(), INSERT_SPAN,
                spans, SPAN_ORDER, "trace_id, span_id", s -> List.of(s.span().traceId(), s.span().spanId()), (b, s) -> b
                        .bind(0, s.span().traceId())
                        .bind(1, s.span().spanId())
                        .bind(2, Micros.of(s.receivedAt()))
                        .bind(3, JsonColumns.write(json(s.span())))));
        return RowInserts.insertResults(counts);
    }

    @Override
    public List<InsertResult> insertTaskCandidates(List<TaskCandidate> candidates, Instant dueAt) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        long due = Micros.of(dueAt);
        int[] counts = db.call("insert task candidates", h -> RowInserts.insertIfAbsent(h, db.dialect(),
                INSERT_CANDIDATE, candidates, CANDIDATE_ORDER, "trace_id, span_id",
                c -> List.of(c.traceId(), c.spanId()), (b, c) -> b
                        .bind(0, c.traceId())
                        .bind(1, c.spanId())
                        .bind(2, c.subscription() == null ? null : c.subscription().value())
                        .bind(3, Micros.of(c.arrivedAt()))
                        .bind(4, due)));
        return RowInserts.insertResults(counts);
    }

    @Override
    public List<TaskCandidate> claimDueTaskCandidates(int limit, Instant now, Duration lease, String claimer) {
        if (limit < 1) {
            return List.of();
        }
        long nowMicros = Micros.of(now);
        long until = Micros.of(now.plus(lease));
        return db.call("claim task candidates", h -> {
            List<TaskCandidate> due = h.attach(Dao.class).due(nowMicros, limit);
            if (due.isEmpty()) {
                return List.<TaskCandidate>of();
            }
            return Batches.updated(h, CLAIM, due, (b, c) -> b
                    .bind(0, claimer)
                    .bind(1, until)
                    .bind(2, c.traceId())
                    .bind(3, c.spanId())
                    .bind(4, nowMicros));
        });
    }

    @Override
    public void settleTaskCandidates(List<CandidateSettlement> settlements, Instant at) {
        if (settlements.isEmpty()) {
            return;
        }
        long atMicros = Micros.of(at);
        db.run("settle task candidates", h -> Batches.execute(h, SETTLE, settlements, SETTLEMENT_ORDER, (b, s) -> {
            b.bind(5, s.traceId()).bind(6, s.spanId());
            if (s instanceof CandidateSettlement.Postponed postponed) {
                b.bind(0, "PENDING").bind(1, Micros.of(postponed.until())).bind(2, (Long) null)
                        .bind(3, (String) null).bind(4, (String) null);
            } else {
                b.bind(1, (Long) null).bind(2, atMicros);
                if (s instanceof CandidateSettlement.Decided decided) {
                    b.bind(0, "TASK").bind(3, decided.correlationId().value()).bind(4, (String) null);
                } else if (s instanceof CandidateSettlement.Refused refused) {
                    String reason = refused.reason();
                    b.bind(0, "REFUSED").bind(3, (String) null)
                            .bind(4, reason.length() <= REASON_LENGTH ? reason : reason.substring(0, REASON_LENGTH));
                } else {
                    b.bind(0, "NESTED").bind(3, (String) null).bind(4, (String) null);
                }
            }
        }));
    }

    @Override
    public Map<String, List<ReceivedSpan>> findTraceSpans(Set<String> traceIds) {
        if (traceIds.isEmpty()) {
            return Map.of();
        }
        List<String> ids = traceIds.stream().sorted().toList();
        return db.call("find trace spans", h -> h.attach(Dao.class).traces(ids)).stream()
                .collect(Collectors.groupingBy(s -> s.span().traceId()));
    }

    @Override
    public Optional<TaskCandidate> findDecidedTaskCandidate(CorrelationId correlationId) {
        return db.call("find decided task candidate", h -> h.attach(Dao.class).decided(correlationId.value()));
    }

    /** Maps a trace_task_candidates row. */
    public static final class CandidateMapper implements RowMapper<TaskCandidate> {
        @Override
        public TaskCandidate map(ResultSet rs, StatementContext ctx) throws SQLException {
            String subscription = rs.getString("subscription_ref");
            return new TaskCandidate(rs.getString("trace_id"), rs.getString("span_id"),
                    subscription == null ? null : new SubscriptionRef(subscription),
                    Micros.toInstant(rs.getLong("arrived_at_us")));
        }
    }

    /** Maps a trace_spans row. */
    public static final class SpanMapper implements RowMapper<ReceivedSpan> {
        @Override
        public ReceivedSpan map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ReceivedSpan(span((Map<?, ?>) JsonColumns.read(rs.getString("span_json"))),
                    Micros.toInstant(rs.getLong("received_at_us")));
        }
    }

    // ------------------------------------------------------------------ the span as JSON

    /** A non-finite double, which JSON has no number for. */
    private static final String DOUBLE = "double";

    static Map<String, Object> json(AgentSpan span) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace_id", span.traceId());
        json.put("span_id", span.spanId());
        json.put("parent_span_id", span.parentSpanId());
        json.put("parent_locality", span.parentLocality().name());
        json.put("name", span.name());
        json.put("kind", span.kind().name());
        json.put("started_at", span.startedAt().toString());
        json.put("ended_at", span.endedAt().toString());
        json.put("status", span.status().name());
        json.put("status_message", span.statusMessage());
        json.put("attributes", attributes(span.attributes()));
        json.put("resource_attributes", attributes(span.resourceAttributes()));
        List<Object> events = new ArrayList<>();
        for (SpanEvent event : span.events()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", event.name());
            e.put("time", event.time() == null ? null : event.time().toString());
            e.put("attributes", attributes(event.attributes()));
            events.add(e);
        }
        json.put("events", events);
        return json;
    }

    static AgentSpan span(Map<?, ?> json) {
        List<SpanEvent> events = new ArrayList<>();
        for (Object o : (List<?>) json.get("events")) {
            Map<?, ?> e = (Map<?, ?>) o;
            events.add(new SpanEvent((String) e.get("name"), instant(e.get("time")), readAttributes((Map<?, ?>) e.get("attributes"))));
        }
        return new AgentSpan((String) json.get("trace_id"), (String) json.get("span_id"),
                (String) json.get("parent_span_id"), ParentLocality.valueOf((String) json.get("parent_locality")),
                (String) json.get("name"), SpanKind.valueOf((String) json.get("kind")), instant(json.get("started_at")),
                instant(json.get("ended_at")), SpanStatus.valueOf((String) json.get("status")),
                (String) json.get("status_message"), readAttributes((Map<?, ?>) json.get("attributes")),
                readAttributes((Map<?, ?>) json.get("resource_attributes")), events);
    }

    private static Instant instant(Object text) {
        return text == null ? null : Instant.parse((String) text);
    }

    private static Map<String, Object> attributes(Map<String, Object> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((key, value) -> out.put(key, write(value)));
        return out;
    }

    private static Object write(Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            return Map.of(DOUBLE, d.toString());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JdbiTraceSpans::write).toList();
        }
        return value;
    }

    private static Map<String, Object> readAttributes(Map<?, ?> json) {
        Map<String, Object> out = new LinkedHashMap<>();
        json.forEach((key, value) -> out.put((String) key, read(value)));
        return out;
    }

    private static Object read(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Map<?, ?> nonFinite) {
            return Double.valueOf((String) nonFinite.get(DOUBLE));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JdbiTraceSpans::read).toList();
        }
        return value;
    }
}
