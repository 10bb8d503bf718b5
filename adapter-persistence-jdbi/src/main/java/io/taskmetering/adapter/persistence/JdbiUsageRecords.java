package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.application.port.out.UsageRecordPort.UsageStats;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageFilter;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import io.taskmetering.domain.usage.UsageTotals;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Usage metrics: idempotent per (consumer, task, timestamp); filters, paging, grouping and totals run in SQL. Period
 * groups are computed with exact BIGINT arithmetic on microseconds (hour, day, Monday-aligned week, each of which lies
 * in exactly one ISO week) and named with the domain's own {@link UsageGroupBy#groupKey}.
 */
final class JdbiUsageRecords implements UsageRecordPort {
    static final String COLUMNS = "consumer_id, task_id, ts_us, agent_id, tokens_in, tokens_out, duration_ms, api_calls";
    private static final String INSERT = "INSERT INTO usage_records (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";
    private static final String ORDER = " ORDER BY ts_us, consumer_id, task_id";
    private static final String TOTALS = "COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(duration_ms), SUM(api_calls), "
            + "COUNT(DISTINCT agent_id), COUNT(DISTINCT consumer_id)";
    /** 1970-01-01 was a Thursday: shifting by three days makes weeks start on Monday. */
    private static final long WEEK_SHIFT = 3 * Micros.DAY;
    static final int STREAM_FETCH_SIZE = 1000;

    /** Static SQL of this store. */
    public interface Dao {
        @SqlQuery("SELECT COUNT(*) AS total, MIN(ts_us) AS oldest FROM usage_records")
        @RegisterRowMapper(StatsMapper.class)
        UsageStats stats();
    }

    private final Db db;

    JdbiUsageRecords(Db db) {
        this.db = db;
    }

    @Override
    public List<InsertResult> insertUsageRecords(List<UsageRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        Comparator<UsageRecord> order = Comparator.comparing((UsageRecord r) -> r.consumerId().value())
                .thenComparing(r -> r.taskId().value()).thenComparing(UsageRecord::timestamp);
        int[] counts = db.call("insert usage records", h -> RowInserts.insertIfAbsent(h, db.dialect(), INSERT, records, order,
                "consumer_id, task_id, ts_us",
                r -> List.of(r.consumerId().value(), r.taskId().value(), Micros.of(r.timestamp())), (b, r) -> b
                .bind(0, r.consumerId().value())
                .bind(1, r.taskId().value())
                .bind(2, Micros.of(r.timestamp()))
                .bind(3, r.agentId().value())
                .bind(4, r.tokensIn())
                .bind(5, r.tokensOut())
                .bind(6, r.durationMs())
                .bind(7, r.apiCalls())));
        return RowInserts.insertResults(counts);
    }

    /** A WHERE clause and its bindings for a query's filter and allowed consumers. */
    private record Where(String sql, Map<String, Object> binds, List<String> consumers) {
        Query bind(Query q) {
            q.bindMap(binds);
            if (!consumers.isEmpty()) {
                q.bindList("allowed", consumers);
            }
            return q;
        }
    }

    private static Where where(UsageRecordQuery query) {
        UsageFilter f = query.filter();
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> binds = new HashMap<>();
        if (f.agentId() != null) {
            sql.append(" AND agent_id = :agent");
            binds.put("agent", f.agentId().value());
        }
        if (f.consumerId() != null) {
            sql.append(" AND consumer_id = :consumer");
            binds.put("consumer", f.consumerId().value());
        }
        if (f.taskId() != null) {
            sql.append(" AND task_id = :task");
            binds.put("task", f.taskId().value());
        }
        // Bounds at full precision: a bound with sub-microsecond digits is rounded the way that keeps [start, end).
        if (f.start() != null) {
            sql.append(" AND ts_us >= :start");
            binds.put("start", ceilMicros(f.start()));
        }
        if (f.end() != null) {
            sql.append(" AND ts_us < :end");
            binds.put("end", ceilMicros(f.end()));
        }
        List<String> consumers = query.allowedConsumers().stream().map(ConsumerId::value).sorted().toList();
        if (!consumers.isEmpty()) {
            sql.append(" AND consumer_id IN (<allowed>)");
        }
        return new Where(sql.toString(), binds, consumers);
    }

    /** Stored timestamps are whole microseconds, so {@code ts >= t} equals {@code ts >= ceil(t)} (same for {@code <}). */
    private static long ceilMicros(Instant t) {
        long floor = Micros.of(t);
        return t.getNano() % 1_000 == 0 || floor == Long.MAX_VALUE ? floor : floor + 1;
    }

    @Override
    public UsagePage findUsageRecords(UsageRecordQuery query) {
        Where where = where(query);
        return db.call("find usage records", h -> {
            List<UsageRecord> items = where.bind(h.createQuery("SELECT " + COLUMNS + " FROM usage_records" + where.sql()
                            + ORDER + " LIMIT :limit OFFSET :offset"))
                    .bind("limit", query.limit())
                    .bind("offset", query.offset())
                    .map(new RecordMapper())
                    .list();
            long total = where.bind(h.createQuery("SELECT COUNT(*) FROM usage_records" + where.sql()))
                    .mapTo(Long.class).one();
            return new UsagePage(items, total);
        });
    }

    @Override
    public List<UsageRecord> findUsageRecordsOfTask(TaskId taskId, Set<ConsumerId> allowedConsumers) {
        UsageRecordQuery query = new UsageRecordQuery(UsageFilter.all().withTask(taskId), allowedConsumers, 1, 0);
        Where where = where(query);
        return db.call("find usage records of task", h -> where.bind(
                        h.createQuery("SELECT " + COLUMNS + " FROM usage_records" + where.sql() + ORDER))
                .map(new RecordMapper()).list());
    }

    @Override
    public List<UsageAggregate> aggregateUsage(UsageRecordQuery query, UsageGroupBy groupBy) {
        Where where = where(query);
        String group = switch (groupBy) {
            case AGENT -> "agent_id";
            case CONSUMER -> "consumer_id";
            case HOUR -> Micros.floorDivSql("ts_us", Micros.HOUR);
            case DAY -> Micros.floorDivSql("ts_us", Micros.DAY);
            case WEEK -> Micros.floorDivSql("(ts_us + " + WEEK_SHIFT + ")", Micros.WEEK);
        };
        List<UsageAggregate> out = db.call("aggregate usage", h -> where.bind(h.createQuery(
                        "SELECT " + group + " AS grp, " + TOTALS + " FROM usage_records" + where.sql() + " GROUP BY " + group))
                .map((rs, ctx) -> new UsageAggregate(groupBy, groupKey(groupBy, rs), totals(rs, 2)))
                .list());
        List<UsageAggregate> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(UsageAggregate::group)); // Java string order, as the domain's aggregator
        return sorted;
    }

    private static String groupKey(UsageGroupBy groupBy, ResultSet rs) throws SQLException {
        Instant start = switch (groupBy) {
            case AGENT, CONSUMER -> null;
            case HOUR -> Micros.toInstant(rs.getLong(1) * Micros.HOUR);
            case DAY -> Micros.toInstant(rs.getLong(1) * Micros.DAY);
            case WEEK -> Micros.toInstant(rs.getLong(1) * Micros.WEEK - WEEK_SHIFT);
        };
        if (start == null) {
            return rs.getString(1);
        }
        // Name the period exactly as the domain does, from an instant inside it.
        return groupBy.groupKey(new UsageRecord(new TaskId("period"), new AgentId("period"), new ConsumerId("period"),
                0, 0, 0, 0, start));
    }

    @Override
    public UsageTotals usageTotals(UsageRecordQuery query) {
        Where where = where(query);
        return db.call("usage totals", h -> where.bind(h.createQuery("SELECT " + TOTALS + " FROM usage_records" + where.sql()))
                .map((rs, ctx) -> totals(rs, 1)).one());
    }

    /**
     * Totals from seven columns starting at {@code first}. {@code SUM} of a BIGINT column is an exact NUMERIC on H2
     * and PostgreSQL, so it is read as a BigDecimal and saturated by the domain's rule, never narrowed in SQL.
     */
    private static UsageTotals totals(ResultSet rs, int first) throws SQLException {
        return UsageTotals.ofSums(rs.getLong(first), sum(rs.getBigDecimal(first + 1)), sum(rs.getBigDecimal(first + 2)),
                sum(rs.getBigDecimal(first + 3)), sum(rs.getBigDecimal(first + 4)), rs.getLong(first + 5),
                rs.getLong(first + 6));
    }

    private static BigInteger sum(BigDecimal sum) {
        return sum == null ? BigInteger.ZERO : sum.toBigIntegerExact();
    }

    @Override
    public void streamUsageRecords(UsageRecordQuery query, Consumer<UsageRecord> sink) {
        Where where = where(query);
        // A cursor: PostgreSQL streams with a fetch size inside a transaction (db.call opens one if none is open);
        // H2 pages large results to disk. Memory stays constant either way.
        db.run("stream usage records", h -> where.bind(h.createQuery("SELECT " + COLUMNS + " FROM usage_records"
                        + where.sql() + ORDER))
                .setFetchSize(STREAM_FETCH_SIZE)
                .map(new RecordMapper())
                .useIterator(it -> it.forEachRemaining(sink)));
    }

    @Override
    public UsageStats usageStats() {
        return db.call("usage stats", h -> h.attach(Dao.class).stats());
    }

    /** Maps (total, oldest). */
    public static final class StatsMapper implements RowMapper<UsageStats> {
        @Override
        public UsageStats map(ResultSet rs, StatementContext ctx) throws SQLException {
            long total = rs.getLong("total");
            long oldest = rs.getLong("oldest");
            return new UsageStats(total, rs.wasNull() ? null : Micros.toInstant(oldest));
        }
    }

    /** Maps a usage_records row. */
    public static final class RecordMapper implements RowMapper<UsageRecord> {
        @Override
        public UsageRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new UsageRecord(new TaskId(rs.getString("task_id")), new AgentId(rs.getString("agent_id")),
                    new ConsumerId(rs.getString("consumer_id")), rs.getLong("tokens_in"), rs.getLong("tokens_out"),
                    rs.getLong("duration_ms"), rs.getLong("api_calls"), Micros.toInstant(rs.getLong("ts_us")));
        }
    }
}
