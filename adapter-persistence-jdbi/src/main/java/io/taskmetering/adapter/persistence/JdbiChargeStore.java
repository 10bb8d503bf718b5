package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.ChargeInsert;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.ChargeUpdate;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.application.port.out.InvoiceHourPort;
import io.taskmetering.application.port.out.LoadChargesPort;
import io.taskmetering.application.port.out.SaveChargesPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.Invoicing;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import org.jdbi.v3.core.Handle;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Charges: unique per (subscription, dimension, task, dedupe scope); updates are optimistic on the version. */
final class JdbiChargeStore implements SaveChargesPort, LoadChargesPort, InvoiceHourPort {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiChargeStore.class);

    static final String COLUMNS = "correlation_id, subscription_ref, dimension, task_id, dedupe_scope, agent_id, "
            + "occurred_at_us, billing_hour_us, late, state, disputed_from, counted, hold_reasons, version, created_at_us, "
            + "updated_at_us";
    private static final String INSERT = "INSERT INTO charges (" + COLUMNS + ") VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String UPDATE = "UPDATE charges SET agent_id = ?, occurred_at_us = ?, billing_hour_us = ?, "
            + "late = ?, state = ?, disputed_from = ?, counted = ?, hold_reasons = ?, version = ?, updated_at_us = ? "
            + "WHERE correlation_id = ? AND version = ?";
    private static final Comparator<ChargeKey> KEY_ORDER = Comparator.comparing(ChargeKey::subscription)
            .thenComparing(ChargeKey::dimension).thenComparing(ChargeKey::taskId).thenComparing(ChargeKey::scope);

    /** Static SQL of this store. */
    public interface Dao {
        @SqlQuery("SELECT " + COLUMNS + " FROM charges WHERE correlation_id = :id")
        @RegisterRowMapper(ChargeMapper.class)
        Optional<Charge> find(@Bind("id") String correlationId);

        @SqlUpdate("UPDATE charges SET state = 'BILLABLE', version = version + 1, updated_at_us = :at, last_change_id = :change "
                + "WHERE subscription_ref = :sub AND dimension = :dim AND billing_hour_us = :hour "
                + "AND state = 'QUALIFIED' AND counted = TRUE")
        int invoice(@Bind("sub") String subscription, @Bind("dim") String dimension, @Bind("hour") long hour,
                    @Bind("at") long at, @Bind("change") String changeId);

        @SqlUpdate("INSERT INTO ledger_entries (entry_id, correlation_id, subscription_ref, dimension, task_id, dedupe_scope, "
                + "entry_type, from_state, to_state, billing_hour_us, actor, reason, rule_version, at_us, linked_entry_id) "
                + "SELECT correlation_id || :sep || CAST(version AS VARCHAR(20)), correlation_id, subscription_ref, dimension, "
                + "task_id, dedupe_scope, 'STATE_CHANGE', 'QUALIFIED', 'BILLABLE', billing_hour_us, :actor, :reason, :rule, "
                + ":at, correlation_id || :sep || '0' FROM charges "
                + "WHERE subscription_ref = :sub AND dimension = :dim AND billing_hour_us = :hour AND last_change_id = :change")
        int ledgerInvoice(@Bind("sub") String subscription, @Bind("dim") String dimension, @Bind("hour") long hour,
                          @Bind("change") String changeId, @Bind("sep") String idSeparator, @Bind("actor") String actor,
                          @Bind("reason") String reason, @Bind("rule") String ruleVersion, @Bind("at") long at);
    }

    private final Db db;

    JdbiChargeStore(Db db) {
        this.db = db;
    }

    @Override
    public List<ChargeInsert> insertCharges(List<Charge> charges) {
        if (charges.isEmpty()) {
            return List.of();
        }
        return db.call("insert charges", h -> {
            // In key order, so that concurrent batches wait for each other instead of deadlocking.
            int[] counts = RowInserts.insertIfAbsent(h, db.dialect(), INSERT, charges,
                    Comparator.comparing(Charge::key, KEY_ORDER), "correlation_id",
                    c -> List.of(c.correlationId().value()), (b, c) -> b
                    .bind(0, c.correlationId().value())
                    .bind(1, c.key().subscription().value())
                    .bind(2, c.key().dimension().value())
                    .bind(3, c.key().taskId().value())
                    .bind(4, c.key().scope())
                    .bind(5, c.agentId().value())
                    .bind(6, Micros.of(c.occurredAt()))
                    .bind(7, Micros.of(c.billingHour().start()))
                    .bind(8, c.late())
                    .bind(9, c.state().name())
                    .bind(10, c.disputedFrom() == null ? null : c.disputedFrom().name())
                    .bind(11, c.counted())
                    .bind(12, JsonColumns.strings(c.holdReasons()))
                    .bind(13, c.version())
                    .bind(14, Micros.of(c.updatedAt()))
                    .bind(15, Micros.of(c.updatedAt())));
            List<ChargeKey> duplicates = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    duplicates.add(charges.get(i).key());
                }
            }
            Map<ChargeKey, CorrelationId> holders = duplicates.isEmpty() ? Map.of() : holders(h, duplicates);
            List<ChargeInsert> results = new ArrayList<>(charges.size());
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 1) {
                    results.add(ChargeInsert.Inserted.INSTANCE);
                    continue;
                }
                CorrelationId holder = holders.get(charges.get(i).key());
                if (holder == null) {
                    // The insert conflicted on the correlation id, not on the charge key: a programming error upstream.
                    throw new IllegalStateException("charge " + charges.get(i).correlationId()
                            + " conflicted but no charge holds its key " + charges.get(i).key());
                }
                results.add(new ChargeInsert.DuplicateOf(holder));
            }
            return results;
        });
    }

    /** Who holds each key (read after the insert decided; never a check before it). */
    private static Map<ChargeKey, CorrelationId> holders(Handle h, List<ChargeKey> keys) {
        Map<ChargeKey, CorrelationId> out = new HashMap<>();
        for (List<ChargeKey> chunk : Batches.chunks(keys, Batches.IN_CHUNK)) {
            StringBuilder sql = new StringBuilder("SELECT correlation_id, subscription_ref, dimension, task_id, dedupe_scope "
                    + "FROM charges WHERE (subscription_ref, dimension, task_id, dedupe_scope) IN (");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?)");
            }
            Query query = h.createQuery(sql.append(")").toString());
            int p = 0;
            for (ChargeKey key : chunk) {
                query.bind(p++, key.subscription().value()).bind(p++, key.dimension().value())
                        .bind(p++, key.taskId().value()).bind(p++, key.scope());
            }
            query.map((rs, ctx) -> Map.entry(new ChargeKey(new SubscriptionRef(rs.getString(2)), new Dimension(rs.getString(3)),
                            new TaskId(rs.getString(4)), rs.getString(5)), new CorrelationId(rs.getString(1))))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public void updateCharges(List<ChargeUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        db.run("update charges", h -> {
            int[] counts = Batches.execute(h, UPDATE, updates,
                    Comparator.comparing((ChargeUpdate u) -> u.charge().correlationId()), (b, u) -> {
                        Charge c = u.charge();
                        b.bind(0, c.agentId().value())
                                .bind(1, Micros.of(c.occurredAt()))
                                .bind(2, Micros.of(c.billingHour().start()))
                                .bind(3, c.late())
                                .bind(4, c.state().name())
                                .bind(5, c.disputedFrom() == null ? null : c.disputedFrom().name())
                                .bind(6, c.counted())
                                .bind(7, JsonColumns.strings(c.holdReasons()))
                                .bind(8, c.version())
                                .bind(9, Micros.of(c.updatedAt()))
                                .bind(10, c.correlationId().value())
                                .bind(11, u.expectedVersion());
                    });
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) {
                    ChargeUpdate u = updates.get(i);
                    throw new ConcurrentUpdateException("charge " + u.charge().correlationId()
                            + " is no longer at version " + u.expectedVersion());
                }
            }
        });
    }

    @Override
    public long invoiceHour(BucketKey key, Instant at, String ruleVersion) {
        // The change id marks exactly the rows this statement moved, so the ledger insert selects those and no other
        // (they stay locked by the UPDATE until commit). Entry ids, actor and reason are the domain's (Invoicing).
        String changeId = UUID.randomUUID().toString();
        long hour = Micros.of(key.hour().start());
        long atMicros = Micros.of(at);
        return db.call("invoice hour", h -> {
            Dao dao = h.attach(Dao.class);
            int invoiced = dao.invoice(key.subscription().value(), key.dimension().value(), hour, atMicros, changeId);
            if (invoiced == 0) {
                return 0L;
            }
            int entries;
            try {
                entries = dao.ledgerInvoice(key.subscription().value(), key.dimension().value(), hour, changeId,
                        LedgerEntry.ID_SEPARATOR, Invoicing.ACTOR, Invoicing.REASON, ruleVersion, atMicros);
            } catch (org.jdbi.v3.core.JdbiException e) {
                if (SqlErrors.isUniqueViolation(e)) {
                    throw new ConcurrentUpdateException("a ledger entry of hour " + key + " exists already: " + e.getMessage());
                }
                throw e;
            }
            if (entries != invoiced) {
                throw new IllegalStateException("invoiced " + invoiced + " charges of " + key + " but ledgered " + entries);
            }
            LOG.info("hour invoiced: bucket={} charges={}", key, invoiced);
            return (long) invoiced;
        });
    }

    @Override
    public Optional<Charge> findCharge(CorrelationId correlationId) {
        return db.call("find charge", h -> h.attach(Dao.class).find(correlationId.value()));
    }

    @Override
    public Page<Charge> findCharges(ChargeQuery query) {
        StringBuilder filter = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> binds = new HashMap<>();
        if (!query.subscriptions().isEmpty()) {
            filter.append(" AND subscription_ref IN (<subs>)");
        }
        if (query.state() != null) {
            filter.append(" AND state = :state");
            binds.put("state", query.state().name());
        }
        if (query.from() != null) {
            filter.append(" AND billing_hour_us >= :from");
            binds.put("from", Micros.of(query.from()));
        }
        if (query.to() != null) {
            filter.append(" AND billing_hour_us < :to");
            binds.put("to", Micros.of(query.to()));
        }
        binds.put("limit", query.limit() + 1);
        String order = " ORDER BY billing_hour_us, correlation_id LIMIT :limit";
        String select = "SELECT " + COLUMNS + " FROM charges";
        String sql;
        if (query.cursor() == null) {
            sql = select + filter + order;
        } else {
            // The rest of the cursor's hour, then the later hours: each half starts exactly where an index range
            // starts, so a page costs its own rows, not the rows of every page before it.
            List<Object> c = Cursors.decode(query.cursor(), 2);
            binds.put("cHour", Cursors.longAt(c, 0));
            binds.put("cId", Cursors.stringAt(c, 1));
            sql = "SELECT " + COLUMNS + " FROM ((" + select + filter + " AND billing_hour_us = :cHour AND correlation_id > :cId"
                    + order + ") UNION ALL (" + select + filter + " AND billing_hour_us > :cHour" + order + ")) page"
                    + order;
        }
        List<Charge> rows = db.call("find charges", h -> {
            Query q = h.createQuery(sql).bindMap(binds);
            if (!query.subscriptions().isEmpty()) {
                q.bindList("subs", query.subscriptions().stream().map(SubscriptionRef::value).sorted().toList());
            }
            return q.map(new ChargeMapper()).list();
        });
        if (rows.size() <= query.limit()) {
            return new Page<>(rows, null);
        }
        List<Charge> page = rows.subList(0, query.limit());
        Charge last = page.get(page.size() - 1);
        return new Page<>(page, Cursors.encode(Micros.of(last.billingHour().start()), last.correlationId().value()));
    }

    @Override
    public long countCharges(ChargeState state) {
        return db.call("count charges", h -> h.createQuery("SELECT COUNT(*) FROM charges WHERE state = :state")
                .bind("state", state.name()).mapTo(Long.class).one());
    }

    /** Maps a charges row. */
    public static final class ChargeMapper implements RowMapper<Charge> {
        @Override
        public Charge map(ResultSet rs, StatementContext ctx) throws SQLException {
            String disputedFrom = rs.getString("disputed_from");
            return new Charge(
                    new CorrelationId(rs.getString("correlation_id")),
                    new ChargeKey(new SubscriptionRef(rs.getString("subscription_ref")), new Dimension(rs.getString("dimension")),
                            new TaskId(rs.getString("task_id")), rs.getString("dedupe_scope")),
                    new AgentId(rs.getString("agent_id")),
                    Micros.toInstant(rs.getLong("occurred_at_us")),
                    new BillingHour(Micros.toInstant(rs.getLong("billing_hour_us"))),
                    rs.getBoolean("late"),
                    ChargeState.valueOf(rs.getString("state")),
                    disputedFrom == null ? null : ChargeState.valueOf(disputedFrom),
                    rs.getBoolean("counted"),
                    JsonColumns.parseStrings(rs.getString("hold_reasons")),
                    rs.getLong("version"),
                    Micros.toInstant(rs.getLong("updated_at_us")));
        }
    }
}
