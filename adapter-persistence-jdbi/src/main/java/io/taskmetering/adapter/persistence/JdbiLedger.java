package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.application.port.out.LedgerPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.LedgerEntryType;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The append-only ledger. This class, like every other in the module, only INSERTs into {@code ledger_entries}; a test
 * scans all SQL of the module to keep it so. An entry id that exists fails the append with
 * {@link ConcurrentUpdateException} (two changes raced for the same charge version).
 */
final class JdbiLedger implements LedgerPort {
    static final String COLUMNS = "entry_id, correlation_id, subscription_ref, dimension, task_id, dedupe_scope, entry_type, "
            + "from_state, to_state, billing_hour_us, actor, reason, rule_version, at_us, linked_entry_id";
    private static final String INSERT = "INSERT INTO ledger_entries (" + COLUMNS + ") VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Static SQL of this store. */
    public interface Dao {
        @SqlQuery("SELECT " + COLUMNS + " FROM ledger_entries WHERE correlation_id = :id ORDER BY seq")
        @RegisterRowMapper(EntryMapper.class)
        List<LedgerEntry> history(@Bind("id") String correlationId);
    }

    private final Db db;

    JdbiLedger(Db db) {
        this.db = db;
    }

    @Override
    public void append(List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        db.run("append ledger entries", h -> {
            try {
                // Input order is kept: it is the order of the history (seq).
                RowInserts.insertAll(h, db.dialect(), INSERT, entries, null, (b, e) -> b
                        .bind(0, e.entryId())
                        .bind(1, e.correlationId().value())
                        .bind(2, e.key().subscription().value())
                        .bind(3, e.key().dimension().value())
                        .bind(4, e.key().taskId().value())
                        .bind(5, e.key().scope())
                        .bind(6, e.type().name())
                        .bind(7, e.fromState() == null ? null : e.fromState().name())
                        .bind(8, e.toState().name())
                        .bind(9, Micros.of(e.hour().start()))
                        .bind(10, e.actor())
                        .bind(11, e.reason())
                        .bind(12, e.ruleVersion())
                        .bind(13, Micros.of(e.at()))
                        .bind(14, e.linkedEntryId()));
            } catch (JdbiException e) {
                if (SqlErrors.isUniqueViolation(e)) {
                    throw new ConcurrentUpdateException("a ledger entry with one of these ids exists already: "
                            + entries.stream().map(LedgerEntry::entryId).limit(10).toList());
                }
                throw e;
            }
        });
    }

    @Override
    public List<LedgerEntry> history(CorrelationId correlationId) {
        return db.call("ledger history", h -> h.attach(Dao.class).history(correlationId.value()));
    }

    @Override
    public Page<LedgerEntry> credits(Set<SubscriptionRef> subscriptions, int limit, String cursor) {
        if (limit < 1) {
            throw new io.taskmetering.domain.common.InvalidValueException("limit", "must be at least 1");
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM ledger_entries WHERE entry_type = 'CREDIT'");
        Map<String, Object> binds = new HashMap<>();
        if (subscriptions != null && !subscriptions.isEmpty()) {
            sql.append(" AND subscription_ref IN (<subs>)");
        }
        if (cursor != null) {
            List<Object> c = Cursors.decode(cursor, 2);
            sql.append(" AND (at_us < :cAt OR (at_us = :cAt AND entry_id < :cId))");
            binds.put("cAt", Cursors.longAt(c, 0));
            binds.put("cId", Cursors.stringAt(c, 1));
        }
        sql.append(" ORDER BY at_us DESC, entry_id DESC LIMIT :limit");
        binds.put("limit", limit + 1);
        List<LedgerEntry> rows = db.call("list credits", h -> {
            Query q = h.createQuery(sql.toString()).bindMap(binds);
            if (subscriptions != null && !subscriptions.isEmpty()) {
                q.bindList("subs", subscriptions.stream().map(SubscriptionRef::value).sorted().toList());
            }
            return q.map(new EntryMapper()).list();
        });
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<LedgerEntry> page = rows.subList(0, limit);
        LedgerEntry last = page.get(limit - 1);
        return new Page<>(page, Cursors.encode(Micros.of(last.at()), last.entryId()));
    }

    /** Maps a ledger_entries row. */
    public static final class EntryMapper implements RowMapper<LedgerEntry> {
        @Override
        public LedgerEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            String from = rs.getString("from_state");
            return new LedgerEntry(
                    rs.getString("entry_id"),
                    new CorrelationId(rs.getString("correlation_id")),
                    new ChargeKey(new SubscriptionRef(rs.getString("subscription_ref")), new Dimension(rs.getString("dimension")),
                            new TaskId(rs.getString("task_id")), rs.getString("dedupe_scope")),
                    LedgerEntryType.valueOf(rs.getString("entry_type")),
                    from == null ? null : ChargeState.valueOf(from),
                    ChargeState.valueOf(rs.getString("to_state")),
                    new BillingHour(Micros.toInstant(rs.getLong("billing_hour_us"))),
                    rs.getString("actor"),
                    rs.getString("reason"),
                    rs.getString("rule_version"),
                    Micros.toInstant(rs.getLong("at_us")),
                    rs.getString("linked_entry_id"));
        }
    }
}
