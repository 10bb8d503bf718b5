package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.CapCounterPort;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.CapType;
import io.taskmetering.domain.common.SubscriptionRef;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/** Guardrail cap counters, locked like hour buckets: insert missing rows, then {@code SELECT … FOR UPDATE} in order. */
final class JdbiCapCounters implements CapCounterPort {
    private static final String INSERT_MISSING = "INSERT INTO cap_counters (subscription_ref, cap_type, period_start_us, "
            + "admitted) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING";
    private static final String SAVE = "UPDATE cap_counters SET admitted = ? "
            + "WHERE subscription_ref = ? AND cap_type = ? AND period_start_us = ?";

    private final Db db;

    JdbiCapCounters(Db db) {
        this.db = db;
    }

    @Override
    public Map<CapPeriod, Long> lockCapCounters(SortedSet<CapPeriod> periods) {
        if (periods.isEmpty()) {
            return Map.of();
        }
        return db.call("lock cap counters", h -> {
            List<CapPeriod> list = new ArrayList<>(periods);
            Batches.execute(h, INSERT_MISSING, list, null, (b, p) -> b
                    .bind(0, p.subscription().value())
                    .bind(1, p.type().name())
                    .bind(2, Micros.of(p.start())));
            Map<CapPeriod, Long> out = new HashMap<>();
            for (List<CapPeriod> chunk : Batches.chunks(list, Batches.IN_CHUNK)) {
                StringBuilder sql = new StringBuilder("SELECT subscription_ref, cap_type, period_start_us, admitted "
                        + "FROM cap_counters WHERE (subscription_ref, cap_type, period_start_us) IN (");
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append("(?, ?, ?)");
                }
                sql.append(") ORDER BY subscription_ref, cap_type, period_start_us FOR UPDATE");
                Query query = h.createQuery(sql.toString());
                int i = 0;
                for (CapPeriod p : chunk) {
                    query.bind(i++, p.subscription().value()).bind(i++, p.type().name()).bind(i++, Micros.of(p.start()));
                }
                query.map((rs, ctx) -> Map.entry(new CapPeriod(new SubscriptionRef(rs.getString(1)),
                                CapType.valueOf(rs.getString(2)), Micros.toInstant(rs.getLong(3))), rs.getLong(4)))
                        .forEach(e -> out.put(e.getKey(), e.getValue()));
            }
            return out;
        });
    }

    @Override
    public void saveCapCounters(Map<CapPeriod, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        db.run("save cap counters", h -> {
            List<Map.Entry<CapPeriod, Long>> list = new ArrayList<>(counts.entrySet());
            int[] updated = Batches.execute(h, SAVE, list, Map.Entry.comparingByKey(), (b, e) -> b
                    .bind(0, e.getValue())
                    .bind(1, e.getKey().subscription().value())
                    .bind(2, e.getKey().type().name())
                    .bind(3, Micros.of(e.getKey().start())));
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] != 1) {
                    throw new IllegalStateException("cap counter " + list.get(i).getKey() + " was not locked in this transaction");
                }
            }
        });
    }
}
