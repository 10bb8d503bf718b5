package io.taskmetering.application.port.out;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.model.TaskCandidate;

import java.time.Instant;
import java.util.List;

/**
 * Keeps received spans and the agent spans among them that may be tasks, each once: a row is identified by its
 * (trace id, span id) and a second one of the same key is kept out by the store's unique constraint (first wins,
 * also within one list), never by a read before the write.
 */
public interface SaveTraceSpansPort {
    List<InsertResult> insertTraceSpans(List<ReceivedSpan> spans);

    /** Each candidate as PENDING, first due at {@code dueAt} (when its settle delay has passed). */
    List<InsertResult> insertTaskCandidates(List<TaskCandidate> candidates, Instant dueAt);
}
