package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.DecisionFlip;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.ShadowDecision;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowReportQuery;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.application.port.out.LoadShadowsPort;
import io.taskmetering.application.port.out.SaveShadowsPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.contract.ContractScope;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shadow runs and shadow decisions. A report page is two statements: the hours (grouped counts, keyset-paged by
 * subscription and hour) and the first flips of each of those hours.
 */
final class JdbiShadows implements SaveShadowsPort, LoadShadowsPort {
    private static final String INSERT_DECISION = "INSERT INTO shadow_decisions (version, correlation_id, task_id, "
            + "subscription_ref, hour_us, shadow_billable, shadow_reason_codes, live_version, live_billable, live_reason_codes, "
            + "evaluated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final Db db;

    JdbiShadows(Db db) {
        this.db = db;
    }

    @Override
    public InsertResult startShadow(ShadowRun run) {
        int inserted = db.call("start shadow", h -> h.createUpdate("INSERT INTO contract_shadows (version, "
                        + "subscription_ref, started_at_us) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(0, run.version())
                .bind(1, subscriptionKey(run.scope()))
                .bind(2, Micros.of(run.startedAt()))
                .execute());
        return inserted == 1 ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT;
    }

    @Override
    public boolean stopShadow(String version, ContractScope scope) {
        return db.call("stop shadow", h -> h.createUpdate("DELETE FROM contract_shadows WHERE version = :version"
                        + " AND subscription_ref = :subscription")
                .bind("version", version)
                .bind("subscription", subscriptionKey(scope))
                .execute()) == 1;
    }

    @Override
    public void insertShadowDecisions(List<ShadowDecision> decisions) {
        db.run("insert shadow decisions", h -> RowInserts.insertAll(h, db.dialect(), INSERT_DECISION, decisions,
                Comparator.comparing(ShadowDecision::version).thenComparing(d -> d.subscription().value())
                        .thenComparing(ShadowDecision::hour).thenComparing(ShadowDecision::correlationId), (b, d) -> b
                        .bind(0, d.version())
                        .bind(1, d.correlationId().value())
                        .bind(2, d.taskId().value())
                        .bind(3, d.subscription().value())
                        .bind(4, Micros.of(d.hour().start()))
                        .bind(5, d.shadow().billable())
                        .bind(6, JsonColumns.strings(d.shadow().reasonCodes()))
                        .bind(7, d.liveVersion())
                        .bind(8, d.liveBillable())
                        .bind(9, JsonColumns.strings(d.liveReasonCodes()))
                        .bind(10, Micros.of(d.evaluatedAt()))));
    }

    @Override
    public List<ShadowRun> findShadowRuns() {
        return db.call("find shadow runs", h -> h.createQuery("SELECT version, subscription_ref, started_at_us"
                        + " FROM contract_shadows ORDER BY version, subscription_ref")
                .map((rs, ctx) -> new ShadowRun(rs.getString("version"), scope(rs.getString("subscription_ref")),
                        Micros.toInstant(rs.getLong("started_at_us"))))
                .list());
    }

    /** A report row before its flips are read. */
    private record Counts(String subscription, long hourUs, long evaluated, long billableLive, long billableShadow,
                          long flipCount) {
    }

    @Override
    public Page<ShadowHour> findShadowHours(ShadowReportQuery query) {
        StringBuilder filter = new StringBuilder(" WHERE version = :version");
        Map<String, Object> binds = new HashMap<>();
        binds.put("version", query.version());
        if (!query.subscriptions().isEmpty()) {
            filter.append(" AND subscription_ref IN (<subs>)");
        }
        if (query.from() != null) {
            filter.append(" AND hour_us >= :from");
            binds.put("from", Micros.of(BillingHour.containing(query.from()).start()));
        }
        if (query.to() != null) {
            filter.append(" AND hour_us < :to");
            binds.put("to", Micros.of(query.to()));
        }
        if (query.cursor() != null) {
            List<Object> c = Cursors.decode(query.cursor(), 2);
            filter.append(" AND (subscription_ref > :cSub OR subscription_ref = :cSub AND hour_us > :cHour)");
            binds.put("cSub", Cursors.stringAt(c, 0));
            binds.put("cHour", Cursors.longAt(c, 1));
        }
        binds.put("limit", query.limit() + 1);
        List<String> subscriptions = query.subscriptions().stream().map(SubscriptionRef::value).sorted().toList();
        List<Counts> rows = db.call("find shadow hours", h -> {
            Query q = h.createQuery("SELECT subscription_ref, hour_us, COUNT(*) AS evaluated,"
                            + " SUM(CASE WHEN live_billable THEN 1 ELSE 0 END) AS billable_live,"
                            + " SUM(CASE WHEN shadow_billable THEN 1 ELSE 0 END) AS billable_shadow,"
                            + " SUM(CASE WHEN live_billable <> shadow_billable THEN 1 ELSE 0 END) AS flip_count"
                            + " FROM shadow_decisions" + filter
                            + " GROUP BY subscription_ref, hour_us ORDER BY subscription_ref, hour_us LIMIT :limit")
                    .bindMap(binds);
            if (!subscriptions.isEmpty()) {
                q.bindList("subs", subscriptions);
            }
            return q.map((rs, ctx) -> new Counts(rs.getString("subscription_ref"), rs.getLong("hour_us"),
                    rs.getLong("evaluated"), rs.getLong("billable_live"), rs.getLong("billable_shadow"),
                    rs.getLong("flip_count"))).list();
        });
        List<Counts> page = rows.size() > query.limit() ? rows.subList(0, query.limit()) : rows;
        Map<List<Object>, List<DecisionFlip>> flips = flips(query.version(), page);
        List<ShadowHour> hours = new ArrayList<>(page.size());
        for (Counts c : page) {
            hours.add(new ShadowHour(new SubscriptionRef(c.subscription()), new BillingHour(Micros.toInstant(c.hourUs())),
                    c.evaluated(), c.billableLive(), c.billableShadow(), c.flipCount(),
                    flips.getOrDefault(List.of(c.subscription(), c.hourUs()), List.of())));
        }
        if (rows.size() <= query.limit()) {
            return new Page<>(hours, null);
        }
        Counts last = page.get(page.size() - 1);
        return new Page<>(hours, Cursors.encode(last.subscription(), last.hourUs()));
    }

    /**
     * The first flips of each hour of a page, by correlation id, in one statement: the flips of the page's first to
     * last (subscription, hour), numbered per hour, of which the hours outside the page (possible only between
     * two of its subscriptions) are dropped here.
     */
    private Map<List<Object>, List<DecisionFlip>> flips(String version, List<Counts> page) {
        Map<List<Object>, List<DecisionFlip>> out = new LinkedHashMap<>();
        List<Counts> withFlips = page.stream().filter(c -> c.flipCount() > 0).toList();
        if (withFlips.isEmpty()) {
            return out;
        }
        Counts first = withFlips.get(0);
        Counts last = withFlips.get(withFlips.size() - 1);
        Set<List<Object>> wanted = new HashSet<>();
        withFlips.forEach(c -> wanted.add(List.of(c.subscription(), c.hourUs())));
        db.call("find shadow flips", h -> h.createQuery("SELECT correlation_id, task_id, subscription_ref, hour_us,"
                        + " shadow_billable, shadow_reason_codes, live_reason_codes FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY"
                        + " subscription_ref, hour_us ORDER BY correlation_id) AS n FROM shadow_decisions s"
                        + " WHERE version = :version AND live_billable <> shadow_billable"
                        + " AND (subscription_ref > :firstSub OR subscription_ref = :firstSub AND hour_us >= :firstHour)"
                        + " AND (subscription_ref < :lastSub OR subscription_ref = :lastSub AND hour_us <= :lastHour)) f"
                        + " WHERE n <= :perHour ORDER BY subscription_ref, hour_us, correlation_id")
                .bind("version", version)
                .bind("firstSub", first.subscription())
                .bind("firstHour", first.hourUs())
                .bind("lastSub", last.subscription())
                .bind("lastHour", last.hourUs())
                .bind("perHour", ShadowReportQuery.MAX_FLIPS_PER_HOUR)
                .map((rs, ctx) -> new DecisionFlip(new CorrelationId(rs.getString("correlation_id")),
                        new TaskId(rs.getString("task_id")), new SubscriptionRef(rs.getString("subscription_ref")),
                        new BillingHour(Micros.toInstant(rs.getLong("hour_us"))), rs.getBoolean("shadow_billable"),
                        JsonColumns.parseStrings(rs.getString("live_reason_codes")),
                        JsonColumns.parseStrings(rs.getString("shadow_reason_codes"))))
                .list())
                .forEach(flip -> {
                    List<Object> key = List.of(flip.subscription().value(), Micros.of(flip.hour().start()));
                    if (wanted.contains(key)) {
                        out.computeIfAbsent(key, k -> new ArrayList<>()).add(flip);
                    }
                });
        return out;
    }

    private static String subscriptionKey(ContractScope scope) {
        SubscriptionRef subscription = scope.subscriptionOrNull();
        return subscription == null ? "" : subscription.value();
    }

    private static ContractScope scope(String subscriptionKey) {
        return subscriptionKey.isEmpty() ? ContractScope.global() : ContractScope.of(new SubscriptionRef(subscriptionKey));
    }
}
