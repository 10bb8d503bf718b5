package io.taskmetering.application.port.out;

import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.model.TaskCandidate;
import io.taskmetering.domain.common.CorrelationId;

import java.util.List;
import java.util.Optional;

/** Reads kept spans back. */
public interface LoadTraceSpansPort {
    /** Every kept span of the trace, in no particular order. */
    List<ReceivedSpan> findTraceSpans(String traceId);

    /** The candidate that was decided as the outcome {@code correlationId}, if one was. */
    Optional<TaskCandidate> findDecidedTaskCandidate(CorrelationId correlationId);
}
