package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.model.Reconciliation.Difference;
import io.taskmetering.application.port.out.LoadReconciliationsPort;
import io.taskmetering.application.port.out.SaveReconciliationsPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reconciliation runs and their differing hours; insert-only. */
final class JdbiReconciliations implements SaveReconciliationsPort, LoadReconciliationsPort {
    private static final String INSERT_DIFFERENCE = "INSERT INTO reconciliation_differences (run_id, subscription_ref, "
            + "dimension, hour_us, kind, ours, theirs) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final Db db;

    JdbiReconciliations(Db db) {
        this.db = db;
    }

    @Override
    public void insertReconciliation(Reconciliation run) {
        db.run("insert reconciliation", h -> {
            h.createUpdate("INSERT INTO reconciliation_runs (run_id, day_us, ran_at_us, hours_compared, matching) "
                            + "VALUES (?, ?, ?, ?, ?)")
                    .bind(0, run.runId())
                    .bind(1, dayMicros(run.day()))
                    .bind(2, Micros.of(run.ranAt()))
                    .bind(3, run.hoursCompared())
                    .bind(4, run.matching())
                    .execute();
            RowInserts.insertAll(h, db.dialect(), INSERT_DIFFERENCE, run.differences(),
                    Comparator.comparing(Difference::subscription).thenComparing(Difference::dimension)
                            .thenComparing(Difference::hour), (b, d) -> b
                            .bind(0, run.runId())
                            .bind(1, d.subscription().value())
                            .bind(2, d.dimension().value())
                            .bind(3, Micros.of(d.hour().start()))
                            .bind(4, d.kind().name())
                            .bind(5, d.ours())
                            .bind(6, d.theirs()));
        });
    }

    @Override
    public Optional<Reconciliation> findLatestReconciliation(LocalDate day) {
        return db.call("find reconciliation", h -> h.createQuery("SELECT run_id, ran_at_us, hours_compared, matching "
                        + "FROM reconciliation_runs WHERE day_us = :day ORDER BY ran_at_us DESC, run_id DESC LIMIT 1")
                .bind("day", dayMicros(day))
                .map((rs, ctx) -> {
                    String runId = rs.getString("run_id");
                    List<Difference> differences = h.createQuery("SELECT subscription_ref, dimension, hour_us, kind, "
                                    + "ours, theirs FROM reconciliation_differences WHERE run_id = :run")
                            .bind("run", runId)
                            .map((d, c) -> new Difference(Reconciliation.Kind.valueOf(d.getString("kind")),
                                    new SubscriptionRef(d.getString("subscription_ref")),
                                    new Dimension(d.getString("dimension")),
                                    new BillingHour(Micros.toInstant(d.getLong("hour_us"))), d.getLong("ours"),
                                    d.getBigDecimal("theirs")))
                            .list();
                    return new Reconciliation(runId, day, Micros.toInstant(rs.getLong("ran_at_us")),
                            rs.getInt("hours_compared"), rs.getInt("matching"), differences);
                })
                .findOne());
    }

    private static long dayMicros(LocalDate day) {
        return Micros.of(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
