package io.taskmetering.adapter.persistence;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * JDBC batching on the transaction's connection: one prepared statement per call, executed once per item, per-row
 * update counts mapped back to input order. Plain JDBC because binding thousands of values per batch through Jdbi's
 * argument resolution cost more than the database work. SQL failures leave as Jdbi exceptions, like every other
 * statement of this module, so {@link SqlErrors} translates them.
 */
final class Batches {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Batches.class);
    /** Rows per IN list in look-ups, well below every driver's parameter limit. */
    static final int IN_CHUNK = 500;

    private Batches() {
    }

    /** Binds one row's values at its place in a statement (a multi-row statement puts row i at an offset). */
    static final class Row {
        private final PreparedStatement statement;
        private final int offset;

        Row(PreparedStatement statement, int offset) {
            this.statement = statement;
            this.offset = offset;
        }

        Row bind(int position, String value) {
            return set(position, (ps, index) -> ps.setString(index, value));
        }

        Row bind(int position, long value) {
            return set(position, (ps, index) -> ps.setLong(index, value));
        }

        Row bind(int position, Long value) {
            return value != null ? bind(position, value.longValue())
                    : set(position, (ps, index) -> ps.setNull(index, Types.BIGINT));
        }

        Row bind(int position, int value) {
            return set(position, (ps, index) -> ps.setInt(index, value));
        }

        Row bind(int position, Integer value) {
            return value != null ? bind(position, value.intValue())
                    : set(position, (ps, index) -> ps.setNull(index, Types.INTEGER));
        }

        Row bind(int position, BigDecimal value) {
            return set(position, (ps, index) -> ps.setBigDecimal(index, value));
        }

        Row bind(int position, boolean value) {
            return set(position, (ps, index) -> ps.setBoolean(index, value));
        }

        private Row set(int position, Setter setter) {
            try {
                setter.set(statement, offset + position + 1);
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
            return this;
        }

        @FunctionalInterface
        private interface Setter {
            void set(PreparedStatement statement, int index) throws SQLException;
        }
    }

    /**
     * Executes the conditional update {@code sql} (a claim) once per item, in input order, and returns the items it
     * changed: the ones another instance did not take first.
     */
    static <T> List<T> updated(Handle handle, String sql, List<T> items, BiConsumer<Row, T> binder) {
        int[] counts = execute(handle, sql, items, null, binder);
        List<T> changed = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 1) {
                changed.add(items.get(i));
            }
        }
        return changed;
    }

    /**
     * Executes {@code sql} once per item in {@code order} (an ordering of the items, e.g. by key so that concurrent
     * transactions take row locks in the same order; null keeps input order) and returns the update count of each
     * item in input order.
     */
    static <T> int[] execute(Handle handle, String sql, List<T> items, Comparator<T> order, BiConsumer<Row, T> binder) {
        int[] counts = new int[items.size()];
        if (items.isEmpty()) {
            return counts;
        }
        List<Integer> indexes = executionOrder(items, order);
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            Row row = new Row(statement, 0);
            for (int index : indexes) {
                binder.accept(row, items.get(index));
                statement.addBatch();
            }
            long started = System.nanoTime();
            int[] raw = statement.executeBatch();
            if (LOG.isDebugEnabled()) {
                LOG.debug("batch executed: rows={} micros={} sql={}", raw.length, (System.nanoTime() - started) / 1_000,
                        sql.length() > 60 ? sql.substring(0, 60) : sql);
            }
            if (raw.length != items.size()) {
                throw new IllegalStateException("batch returned " + raw.length + " counts for " + items.size() + " rows");
            }
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] < 0) {
                    throw new IllegalStateException("the driver returned no per-row update count (" + raw[i]
                            + "); batch rewriting (reWriteBatchedInserts) must stay off");
                }
                counts[indexes.get(i)] = raw[i];
            }
            return counts;
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Item indexes in {@code order}; stable, so the first of equal keys stays first. Null keeps input order. */
    static <T> List<Integer> executionOrder(List<T> items, Comparator<T> order) {
        List<Integer> indexes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            indexes.add(i);
        }
        if (order != null) {
            indexes.sort((a, b) -> order.compare(items.get(a), items.get(b)));
        }
        return indexes;
    }

    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
