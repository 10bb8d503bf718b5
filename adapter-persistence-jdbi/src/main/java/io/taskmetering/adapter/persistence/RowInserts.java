package io.taskmetering.adapter.persistence;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The hot inserts of the ingest path (decisions, their outcomes, charges, ledger entries, usage records), on plain JDBC
 * in the transaction's connection (binding thousands of values per batch through Jdbi's argument resolution costs
 * more than the database work). On PostgreSQL one multi-row {@code INSERT … VALUES (…), (…)} per chunk instead of
 * a JDBC batch of single-row statements, so the server executes a few statements per batch instead of hundreds. An
 * idempotent insert ends in {@code ON CONFLICT DO NOTHING RETURNING <key>}: the rows the database returns are exactly
 * the rows its constraints let in — the same answer a JDBC batch's per-row update counts give, decided by the
 * constraint, never by a read. On H2 (no {@code RETURNING}) it is a JDBC batch with per-row update counts.
 */
final class RowInserts {
    /** PostgreSQL's wire protocol allows 65,535 parameters per statement; stay well below. */
    private static final int MAX_PARAMETERS = 30_000;

    private RowInserts() {
    }

    /** Binds one row's values at its place in the statement. */
    static final class Row {
        private final PreparedStatement statement;
        private final int offset;

        private Row(PreparedStatement statement, int offset) {
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
     * Inserts every item with {@code sql} ({@code INSERT INTO t (…) VALUES (?, …) ON CONFLICT DO NOTHING}) in
     * {@code order}, and returns per item, in input order, 1 if its row went in and 0 if a constraint kept it out.
     * {@code keyColumns} and {@code key} name what tells the returned rows apart (a unique key of the table).
     */
    static <T> int[] insertIfAbsent(Handle handle, Dialect dialect, String sql, List<T> items, Comparator<T> order,
                                    String keyColumns, Function<T, List<Object>> key, BiConsumer<Row, T> binder) {
        List<Integer> indexes = executionOrder(items, order);
        if (dialect == Dialect.H2) {
            return batch(handle, sql, items, indexes, binder);
        }
        int width = keyColumns.split(",").length;
        // How many rows of each key the database let in; the first of equal keys in statement order is the one.
        Map<List<Object>, Integer> insertedKeys = new HashMap<>();
        for (List<Integer> chunk : chunks(sql, indexes)) {
            try (PreparedStatement statement = handle.getConnection().prepareStatement(
                    multiRow(sql, chunk.size()) + " RETURNING " + keyColumns)) {
                bindRows(statement, sql, items, chunk, binder);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>(width);
                        for (int i = 1; i <= width; i++) {
                            row.add(rs.getObject(i));
                        }
                        insertedKeys.merge(row, 1, Integer::sum);
                    }
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        }
        int[] counts = new int[items.size()];
        for (int index : indexes) {
            List<Object> k = key.apply(items.get(index));
            Integer left = insertedKeys.get(k);
            if (left != null && left > 0) {
                insertedKeys.put(k, left - 1);
                counts[index] = 1;
            }
        }
        return counts;
    }

    /**
     * Inserts every item with {@code sql} ({@code INSERT INTO t (…) VALUES (?, …)}), in {@code order} or, if null, in
     * input order. A plain insert (no {@code ON CONFLICT}) must insert every row.
     */
    static <T> void insertAll(Handle handle, Dialect dialect, String sql, List<T> items, Comparator<T> order,
                              BiConsumer<Row, T> binder) {
        List<Integer> indexes = executionOrder(items, order);
        if (dialect == Dialect.H2) {
            batch(handle, sql, items, indexes, binder);
            return;
        }
        for (List<Integer> chunk : chunks(sql, indexes)) {
            try (PreparedStatement statement = handle.getConnection().prepareStatement(multiRow(sql, chunk.size()))) {
                bindRows(statement, sql, items, chunk, binder);
                int inserted = statement.executeUpdate();
                if (inserted != chunk.size() && !sql.contains("ON CONFLICT")) {
                    throw new IllegalStateException("inserted " + inserted + " rows of " + chunk.size());
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        }
    }

    /** A JDBC batch in {@code indexes}' order; per-row update counts, in input order. */
    private static <T> int[] batch(Handle handle, String sql, List<T> items, List<Integer> indexes,
                                   BiConsumer<Row, T> binder) {
        int[] counts = new int[items.size()];
        if (items.isEmpty()) {
            return counts;
        }
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            Row row = new Row(statement, 0);
            for (int index : indexes) {
                binder.accept(row, items.get(index));
                statement.addBatch();
            }
            int[] raw = statement.executeBatch();
            if (raw.length != items.size()) {
                throw new IllegalStateException("batch returned " + raw.length + " counts for " + items.size() + " rows");
            }
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] < 0) {
                    throw new IllegalStateException("the driver returned no per-row update count (" + raw[i] + ")");
                }
                counts[indexes.get(i)] = raw[i];
            }
            return counts;
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    private static <T> void bindRows(PreparedStatement statement, String sql, List<T> items, List<Integer> chunk,
                                     BiConsumer<Row, T> binder) {
        int width = parameters(sql);
        for (int i = 0; i < chunk.size(); i++) {
            binder.accept(new Row(statement, i * width), items.get(chunk.get(i)));
        }
    }

    /** Item indexes in {@code order}; stable, so the first of equal keys stays first. */
    private static <T> List<Integer> executionOrder(List<T> items, Comparator<T> order) {
        List<Integer> indexes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            indexes.add(i);
        }
        if (order != null) {
            indexes.sort((a, b) -> order.compare(items.get(a), items.get(b)));
        }
        return indexes;
    }

    /**
     * Chunks of power-of-two sizes (500 rows = 256 + 128 + 64 + 32 + 16 + 4): a handful of statement shapes per table,
     * so the driver's prepared-statement cache and the server's plans are reused instead of one new statement per
     * batch size.
     */
    private static List<List<Integer>> chunks(String sql, List<Integer> indexes) {
        int most = Integer.highestOneBit(Math.max(1, MAX_PARAMETERS / parameters(sql)));
        List<List<Integer>> out = new ArrayList<>();
        int from = 0;
        while (from < indexes.size()) {
            int size = Math.min(most, Integer.highestOneBit(indexes.size() - from));
            out.add(indexes.subList(from, from + size));
            from += size;
        }
        return out;
    }

    private static int parameters(String sql) {
        return (int) sql.chars().filter(c -> c == '?').count();
    }

    /** {@code INSERT INTO t (…) VALUES (?, ?) rest} → {@code INSERT INTO t (…) VALUES (?, ?), (?, ?), … rest}. */
    static String multiRow(String sql, int rows) {
        int values = sql.indexOf("VALUES");
        int open = values < 0 ? -1 : sql.indexOf('(', values);
        int close = open < 0 ? -1 : sql.indexOf(')', open);
        if (close < 0) {
            throw new IllegalArgumentException("not a single-row INSERT … VALUES (…): " + sql);
        }
        String group = sql.substring(open, close + 1);
        StringBuilder out = new StringBuilder(sql.length() + rows * (group.length() + 2));
        out.append(sql, 0, open);
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(group);
        }
        out.append(sql, close + 1, sql.length());
        return out.toString();
    }
}
