package io.taskmetering.application.port.out;

import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.model.TaskCandidate;
import io.taskmetering.domain.common.CorrelationId;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads kept spans back. */
public interface LoadTraceSpansPort {
    /**
     * Every kept span of each trace, in no particular order, by trace id; a trace with no span kept is absent. One
     * read for all the traces a settle batch needs.
     */
    Map<String, List<ReceivedSpan>> findTraceSpans(Set<String> traceIds);

    /** The candidate that was decided as the outcome {@code correlationId}, if one was. */
    Optional<TaskCandidate> findDecidedTaskCandidate(CorrelationId correlationId);
}
