package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.InsertResult;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The hot inserts of the ingest path (decisions, their outcomes, charges, ledger entries, usage records). On PostgreSQL one multi-row {@code INSERT … VALUES (…), (…)} per chunk instead of
 * a JDBC batch of single-row statements, so the server executes a few statements per batch instead of hundreds. An
 * idempotent insert ends in {@code ON CONFLICT DO NOTHING RETURNING <key>}: the rows the database returns are exactly
 * the rows its constraints let in — the same answer a JDBC batch's per-row update counts give, decided by the
 * constraint, never by a read. On H2 (no {@code RETURNING}) it is a {@link Batches} JDBC batch with per-row counts.
 */
final class RowInserts {
    /** PostgreSQL's wire protocol allows 65,535 parameters per statement; stay well below. */
    private static final int MAX_PARAMETERS = 30_000;

    private RowInserts() {
    }

    /**
     * Inserts every item with {@code sql} ({@code INSERT INTO t (…) VALUES (?, …) ON CONFLICT DO NOTHING}) in
     * {@code order}, and returns per item, in input order, 1 if its row went in and 0 if a constraint kept it out.
     * {@code keyColumns} and {@code key} name what tells the returned rows apart (a unique key of the table).
     */
    static <T> int[] insertIfAbsent(Handle handle, Dialect dialect, String sql, List<T> items, Comparator<T> order,
                                    String keyColumns, Function<T, List<Object>> key, BiConsumer<Batches.Row, T> binder) {
        if (dialect == Dialect.H2) {
            return Batches.execute(handle, sql, items, order, binder);
        }
        List<Integer> indexes = Batches.executionOrder(items, order);
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

    /** What each row of {@link #insertIfAbsent} became, in the items' order: inserted (count 1) or already present. */
    static List<InsertResult> insertResults(int[] counts) {
        List<InsertResult> results = new ArrayList<>(counts.length);
        for (int count : counts) {
            results.add(count == 1 ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT);
        }
        return results;
    }

    /**
     * Inserts every item with {@code sql} ({@code INSERT INTO t (…) VALUES (?, …)}), in {@code order} or, if null, in
     * input order. A plain insert (no {@code ON CONFLICT}) must insert every row.
     */
    static <T> void insertAll(Handle handle, Dialect dialect, String sql, List<T> items, Comparator<T> order,
                              BiConsumer<Batches.Row, T> binder) {
        if (dialect == Dialect.H2) {
            Batches.execute(handle, sql, items, order, binder);
            return;
        }
        for (List<Integer> chunk : chunks(sql, Batches.executionOrder(items, order))) {
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

    private static <T> void bindRows(PreparedStatement statement, String sql, List<T> items, List<Integer> chunk,
                                     BiConsumer<Batches.Row, T> binder) {
        int width = parameters(sql);
        for (int i = 0; i < chunk.size(); i++) {
            binder.accept(new Batches.Row(statement, i * width), items.get(chunk.get(i)));
        }
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
