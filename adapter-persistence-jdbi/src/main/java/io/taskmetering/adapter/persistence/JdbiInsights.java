package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.HourQuantity;
import io.taskmetering.application.model.InsightCell;
import io.taskmetering.application.model.InsightQuery;
import io.taskmetering.application.port.out.LoadInsightsPort;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.insight.InsightCounts;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The insights as three grouped range reads: decisions by occurrence hour, charges by billing hour, usage events by
 * hour. Each reads only the window's rows through an index led by the subscription (or by the time, unfiltered), so
 * the cost follows the rows in the window, not the size of the tables.
 */
final class JdbiInsights implements LoadInsightsPort {
    private static final String UNKNOWN_GATE = "unknown";

    private final Db db;

    JdbiInsights(Db db) {
        this.db = db;
    }

    @Override
    public List<InsightCell> findInsightCells(InsightQuery query) {
        String decisionHour = Micros.floorDivSql("d.occurred_at_us", Micros.HOUR) + " * " + Micros.HOUR;
        String reports = "SELECT d.subscription_ref, " + decisionHour + " AS hour_us, d.agent_id, d.agent_version, "
                + "d.billable, d.failed_gate, COUNT(*) AS attempted, "
                + "SUM(CASE WHEN d.outcome_duplicate_of IS NOT NULL THEN 1 ELSE 0 END) AS duplicates, "
                + "SUM(CASE WHEN d.evidence_complete THEN 1 ELSE 0 END) AS evidence_complete "
                + "FROM decisions d "
                + "WHERE d.kind = 'METERED' AND d.occurred_at_us >= :from AND d.occurred_at_us < :to"
                + filter(query, "d") + " GROUP BY d.subscription_ref, " + decisionHour
                + ", d.agent_id, d.agent_version, d.billable, d.failed_gate";
        String charges = "SELECT c.subscription_ref, c.billing_hour_us AS hour_us, c.agent_id, d.agent_version, "
                + "COUNT(*) AS charges, SUM(CASE WHEN c.counted THEN 1 ELSE 0 END) AS billable, "
                + "SUM(CASE WHEN c.state = 'PENDING_REVIEW' THEN 1 ELSE 0 END) AS held, "
                + "SUM(CASE WHEN c.state = 'DISPUTED' THEN 1 ELSE 0 END) AS disputed, "
                + "SUM(CASE WHEN c.state = 'REVERSED' THEN 1 ELSE 0 END) AS reversed "
                + "FROM charges c LEFT JOIN decisions d ON d.correlation_id = c.correlation_id "
                + "WHERE c.billing_hour_us >= :from AND c.billing_hour_us < :to" + filter(query, "c")
                + " GROUP BY c.subscription_ref, c.billing_hour_us, c.agent_id, d.agent_version";
        Map<CellKey, InsightCounts> cells = new HashMap<>();
        db.run("find insight cells", h -> {
            bind(h.createQuery(reports), query).map((rs, ctx) -> {
                String failedGate = rs.getString("failed_gate");
                // A decision written before failed_gate was kept reads NULL: its gate is unknown, not absent.
                String gate = rs.getBoolean("billable") ? null : failedGate == null ? UNKNOWN_GATE : failedGate;
                long attempted = rs.getLong("attempted");
                long duplicates = rs.getLong("duplicates");
                return Map.entry(key(rs.getString("subscription_ref"), rs.getLong("hour_us"), rs.getString("agent_id"),
                        rs.getString("agent_version")), new InsightCounts(attempted, duplicates,
                        gate == null ? Map.of() : Map.of(gate, attempted), rs.getLong("evidence_complete"), 0, 0, 0, 0, 0));
            }).forEach(e -> cells.merge(e.getKey(), e.getValue(), InsightCounts::plus));
            bind(h.createQuery(charges), query).map((rs, ctx) -> Map.entry(
                    key(rs.getString("subscription_ref"), rs.getLong("hour_us"), rs.getString("agent_id"),
                            rs.getString("agent_version")),
                    new InsightCounts(0, 0, Map.of(), 0, rs.getLong("charges"), rs.getLong("billable"),
                            rs.getLong("held"), rs.getLong("disputed"), rs.getLong("reversed"))))
                    .forEach(e -> cells.merge(e.getKey(), e.getValue(), InsightCounts::plus));
        });
        List<InsightCell> out = new ArrayList<>(cells.size());
        cells.forEach((k, c) -> out.add(new InsightCell(new SubscriptionRef(k.subscription()), Micros.toInstant(k.hourUs()),
                new AgentId(k.agent()), k.agentVersion(), c)));
        return out;
    }

    @Override
    public List<HourQuantity> findHourQuantities(InsightQuery query) {
        String sql = "SELECT subscription_ref, hour_us, SUM(quantity) AS submitted, "
                + "CASE WHEN SUM(CASE WHEN status = 'PENDING' THEN 1 ELSE 0 END) = 0 THEN "
                + "SUM(CASE WHEN status IN ('ACCEPTED', 'DRY_RUN') THEN quantity ELSE 0 END) END AS accepted "
                + "FROM usage_events WHERE hour_us >= :from AND hour_us < :to"
                + (query.subscriptions().isEmpty() ? "" : " AND subscription_ref IN (<subs>)")
                + " GROUP BY subscription_ref, hour_us";
        return db.call("find hour quantities", h -> {
            Query q = h.createQuery(sql).bind("from", Micros.of(query.from())).bind("to", Micros.of(query.to()));
            if (!query.subscriptions().isEmpty()) {
                q.bindList("subs", subscriptions(query));
            }
            return q.map((rs, ctx) -> {
                long accepted = rs.getLong("accepted");
                boolean unknown = rs.wasNull();
                return new HourQuantity(new SubscriptionRef(rs.getString("subscription_ref")),
                        Micros.toInstant(rs.getLong("hour_us")), rs.getLong("submitted"), unknown ? null : accepted);
            }).list();
        });
    }

    private static String filter(InsightQuery query, String alias) {
        return (query.subscriptions().isEmpty() ? "" : " AND " + alias + ".subscription_ref IN (<subs>)")
                + (query.agent() == null ? "" : " AND " + alias + ".agent_id = :agent");
    }

    private static Query bind(Query q, InsightQuery query) {
        q.bind("from", Micros.of(query.from())).bind("to", Micros.of(query.to()));
        if (!query.subscriptions().isEmpty()) {
            q.bindList("subs", subscriptions(query));
        }
        if (query.agent() != null) {
            q.bind("agent", query.agent().value());
        }
        return q;
    }

    private static List<String> subscriptions(InsightQuery query) {
        return query.subscriptions().stream().map(SubscriptionRef::value).sorted().toList();
    }

    private static CellKey key(String subscription, long hourUs, String agent, String agentVersion) {
        return new CellKey(subscription, hourUs, agent, agentVersion);
    }

    private record CellKey(String subscription, long hourUs, String agent, String agentVersion) {
        CellKey {
            Objects.requireNonNull(subscription);
        }
    }
}
