package io.taskmetering.application.service;

import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeBatchUseCase;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.RecordOutcomeUseCase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records single outcomes that arrive at the same time in one transaction (group commit): a durable commit costs the
 * same for one outcome as for a hundred, so concurrent callers share it. Each caller still gets exactly its own
 * result (an invalid report is its own {@code InvalidReport}) and returns only after the shared transaction committed. A failure of the
 * transaction as a whole (storage) fails every caller in it; nothing of it was written.
 */
public final class GroupCommitRecordOutcomeService implements RecordOutcomeUseCase, AutoCloseable {
    private static final Pending STOP = new Pending(null, null);

    private final RecordOutcomeBatchUseCase batch;
    private final int maxGroup;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    /** Guards {@code closed} and the queue's end, so nothing is queued behind the stop marker. */
    private final Object gate = new Object();
    private boolean closed;

    private record Pending(RecordOutcomeCommand command, CompletableFuture<OutcomeResult> result) {
    }

    /** @param maxGroup the most outcomes one transaction takes (at most the batch limit) */
    public GroupCommitRecordOutcomeService(RecordOutcomeBatchUseCase batch, int maxGroup) {
        if (maxGroup < 1 || maxGroup > RecordOutcomeBatchCommand.MAX_SIZE) {
            throw new IllegalArgumentException("maxGroup must be between 1 and " + RecordOutcomeBatchCommand.MAX_SIZE);
        }
        this.batch = batch;
        this.maxGroup = maxGroup;
        this.committer = new Thread(this::commitLoop, "group-commit");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    @Override
    public OutcomeResult record(RecordOutcomeCommand command) {
        CompletableFuture<OutcomeResult> result = new CompletableFuture<>();
        synchronized (gate) {
            if (closed) {
                throw new IllegalStateException("the outcome recorder is shut down");
            }
            queue.add(new Pending(command, result));
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the outcome was being recorded", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void commitLoop() {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (true) {
            group.clear();
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                if (first == STOP) {
                    return;
                }
                group.add(first);
                // Everything already waiting joins this transaction; nobody is made to wait for latecomers.
                boolean stop = drainInto(group);
                commit(group);
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                group.forEach(p -> p.result().completeExceptionally(new IllegalStateException("recorder stopped")));
                return;
            }
        }
    }

    private boolean drainInto(List<Pending> group) {
        while (group.size() < maxGroup) {
            Pending next = queue.poll();
            if (next == null) {
                return false;
            }
            if (next == STOP) {
                return true;
            }
            group.add(next);
        }
        return false;
    }

    private void commit(List<Pending> group) {
        try {
            List<OutcomeResult> results = batch.recordBatch(
                    new RecordOutcomeBatchCommand(group.stream().map(Pending::command).toList()));
            for (int i = 0; i < results.size(); i++) {
                group.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            group.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    /** Records what is queued, then stops; later calls are refused. */
    @Override
    public void close() {
        synchronized (gate) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            committer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
