package io.taskmetering.adapter.persistence;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/** JDBC batching helpers: one {@link PreparedBatch} per call, per-row update counts mapped back to input order. */
final class Batches {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Batches.class);
    /** Rows per IN list in look-ups, well below every driver's parameter limit. */
    static final int IN_CHUNK = 500;

    private Batches() {
    }

    /**
     * Executes {@code sql} once per item in {@code order} (an ordering of the items, e.g. by key so that concurrent
     * transactions take row locks in the same order) and returns the update count of each item in input order.
     */
    static <T> int[] execute(Handle handle, String sql, List<T> items, Comparator<T> order, BiConsumer<PreparedBatch, T> binder) {
        int[] counts = new int[items.size()];
        if (items.isEmpty()) {
            return counts;
        }
        List<Integer> indexes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            indexes.add(i);
        }
        if (order != null) {
            indexes.sort((a, b) -> {
                int c = order.compare(items.get(a), items.get(b));
                return c != 0 ? c : Integer.compare(a, b); // stable: the first of equal keys goes first
            });
        }
        try (PreparedBatch batch = handle.prepareBatch(sql)) {
            for (int index : indexes) {
                binder.accept(batch, items.get(index));
                batch.add();
            }
            long started = System.nanoTime();
            int[] raw = batch.execute();
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
        }
        return counts;
    }

    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
