package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.CapType;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Anomalies, stored and queryable (newest first); saving is idempotent per anomaly id. */
final class JdbiAnomalies implements AnomalyPort {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiAnomalies.class);
    static final String COLUMNS = "anomaly_id, anomaly_type, subscription_ref, occurred_at_us, detail, cap_type, cap_value, "
            + "actual_value, task_id, correlation_id, dimension, hour_us";
    private static final String INSERT = "INSERT INTO anomalies (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";

    private final Db db;

    JdbiAnomalies(Db db) {
        this.db = db;
    }

    @Override
    public void saveAnomalies(List<Anomaly> anomalies) {
        if (anomalies.isEmpty()) {
            return;
        }
        int[] inserted = db.call("save anomalies", h -> Batches.execute(h, INSERT, anomalies, null, (b, a) -> b
                .bind(0, a.id())
                .bind(1, a.type().name())
                .bind(2, a.subscription().value())
                .bind(3, Micros.of(a.occurredAt()))
                .bind(4, a.detail().length() > 4000 ? a.detail().substring(0, 4000) : a.detail())
                .bind(5, a.capType() == null ? null : a.capType().name())
                .bind(6, a.capValue())
                .bind(7, a.actualValue())
                .bind(8, a.taskId() == null ? null : a.taskId().value())
                .bind(9, a.correlationId() == null ? null : a.correlationId().value())
                .bind(10, a.dimension() == null ? null : a.dimension().value())
                .bind(11, a.hour() == null ? null : Micros.of(a.hour().start()))));
        for (int i = 0; i < inserted.length; i++) {
            if (inserted[i] == 0) {
                continue; // stored before under this id
            }
            Anomaly a = anomalies.get(i);
            LOG.warn("anomaly recorded: id={} type={} subscription={} detail={}", a.id(), a.type().wireName(),
                    a.subscription(), a.detail());
        }
    }

    @Override
    public Page<Anomaly> findAnomalies(AnomalyQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM anomalies WHERE 1 = 1");
        Map<String, Object> binds = new HashMap<>();
        if (!query.subscriptions().isEmpty()) {
            sql.append(" AND subscription_ref IN (<subs>)");
        }
        if (query.type() != null) {
            sql.append(" AND anomaly_type = :type");
            binds.put("type", query.type().name());
        }
        if (query.from() != null) {
            sql.append(" AND occurred_at_us >= :from");
            binds.put("from", Micros.of(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND occurred_at_us < :to");
            binds.put("to", Micros.of(query.to()));
        }
        if (query.cursor() != null) {
            List<Object> c = Cursors.decode(query.cursor(), 2);
            sql.append(" AND (occurred_at_us < :cAt OR (occurred_at_us = :cAt AND anomaly_id < :cId))");
            binds.put("cAt", Cursors.longAt(c, 0));
            binds.put("cId", Cursors.stringAt(c, 1));
        }
        sql.append(" ORDER BY occurred_at_us DESC, anomaly_id DESC LIMIT :limit");
        binds.put("limit", query.limit() + 1);
        List<Anomaly> rows = db.call("find anomalies", h -> {
            Query q = h.createQuery(sql.toString()).bindMap(binds);
            if (!query.subscriptions().isEmpty()) {
                q.bindList("subs", query.subscriptions().stream().map(SubscriptionRef::value).sorted().toList());
            }
            return q.map(new AnomalyMapper()).list();
        });
        if (rows.size() <= query.limit()) {
            return new Page<>(rows, null);
        }
        List<Anomaly> page = rows.subList(0, query.limit());
        Anomaly last = page.get(page.size() - 1);
        return new Page<>(page, Cursors.encode(Micros.of(last.occurredAt()), last.id()));
    }

    /** Maps an anomalies row. */
    public static final class AnomalyMapper implements RowMapper<Anomaly> {
        @Override
        public Anomaly map(ResultSet rs, StatementContext ctx) throws SQLException {
            String capType = rs.getString("cap_type");
            Long capValue = nullableLong(rs, "cap_value");
            Long actual = nullableLong(rs, "actual_value");
            String task = rs.getString("task_id");
            String correlation = rs.getString("correlation_id");
            String dimension = rs.getString("dimension");
            Long hour = nullableLong(rs, "hour_us");
            return new Anomaly(rs.getString("anomaly_id"), AnomalyType.valueOf(rs.getString("anomaly_type")),
                    new SubscriptionRef(rs.getString("subscription_ref")), Micros.toInstant(rs.getLong("occurred_at_us")),
                    rs.getString("detail"), capType == null ? null : CapType.valueOf(capType), capValue, actual,
                    task == null ? null : new TaskId(task), correlation == null ? null : new CorrelationId(correlation),
                    dimension == null ? null : new Dimension(dimension),
                    hour == null ? null : new BillingHour(Micros.toInstant(hour)));
        }
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
