package io.taskmetering.application.service;

import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.model.TaskCandidate;
import io.taskmetering.application.port.in.IngestTracesCommand;
import io.taskmetering.application.port.in.IngestTracesResult;
import io.taskmetering.application.port.in.IngestTracesResult.SpanRejection;
import io.taskmetering.application.port.in.IngestTracesUseCase;
import io.taskmetering.application.port.out.SaveTraceSpansPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.SpanAdmission;
import io.taskmetering.domain.trace.TraceMapping;
import io.taskmetering.domain.trace.TraceTasks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps an export's spans as the trace mapping admits them ({@link TraceTasks#admit}), with the agent spans among them
 * as task candidates, in one transaction. Idempotent by the store's unique (trace id, span id): an exporter's retry
 * changes nothing, and a candidate keeps the arrival time of its first delivery.
 */
public final class IngestTracesService implements IngestTracesUseCase {
    private final UnitOfWork unitOfWork;
    private final SaveTraceSpansPort spans;
    private final Clock clock;
    private final TraceMapping mapping;

    public IngestTracesService(UnitOfWork unitOfWork, SaveTraceSpansPort spans, Clock clock, TraceMapping mapping) {
        this.unitOfWork = unitOfWork;
        this.spans = spans;
        this.clock = clock;
        this.mapping = mapping;
    }

    @Override
    public IngestTracesResult ingest(IngestTracesCommand command) {
        Instant now = clock.instant();
        List<AgentSpan> received = command.spans();
        List<SpanAdmission> admissions = TraceTasks.admit(received, command.keyScope(), mapping, now);
        List<ReceivedSpan> kept = new ArrayList<>(received.size());
        List<TaskCandidate> candidates = new ArrayList<>();
        List<SpanRejection> rejected = new ArrayList<>();
        for (int i = 0; i < received.size(); i++) {
            AgentSpan span = received.get(i);
            SpanAdmission admission = admissions.get(i);
            if (admission instanceof SpanAdmission.Rejected r) {
                rejected.add(new SpanRejection(span.traceId(), span.spanId(), r.reason()));
                continue;
            }
            kept.add(new ReceivedSpan(span, now));
            if (admission instanceof SpanAdmission.Candidate c) {
                candidates.add(new TaskCandidate(span.traceId(), span.spanId(), c.subscription(), now));
            }
        }
        if (!kept.isEmpty()) {
            unitOfWork.run(() -> {
                spans.insertTraceSpans(kept);
                if (!candidates.isEmpty()) {
                    spans.insertTaskCandidates(candidates, now.plus(mapping.settleDelay()));
                }
            });
        }
        return new IngestTracesResult(kept.size(), rejected);
    }
}
