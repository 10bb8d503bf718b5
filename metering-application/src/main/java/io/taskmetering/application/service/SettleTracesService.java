package io.taskmetering.application.service;

import io.taskmetering.application.model.CandidateSettlement;
import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.model.TaskCandidate;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.SettleTracesResult;
import io.taskmetering.application.port.in.SettleTracesUseCase;
import io.taskmetering.application.port.out.ClaimTaskCandidatesPort;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.LoadTraceSpansPort;
import io.taskmetering.application.port.out.OutcomePorts;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.Settlement;
import io.taskmetering.domain.trace.TaskUsage;
import io.taskmetering.domain.trace.TraceMapping;
import io.taskmetering.domain.trace.TraceTask;
import io.taskmetering.domain.trace.TraceTasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Settles the task candidates that are due: claims them under a lease, reads their traces, lets the trace mapping say
 * what each is ({@link TraceTasks#settle}) and records every task through the one outcome path (the same gates,
 * charge key, caps, evidence and usage record as a reported outcome) in the transaction that marks the candidates.
 * A task's correlation id is a function of its agent span, so a candidate settled twice (a lease that ran out while
 * its instance was still at work) replays the first decision: never a second charge or usage record.
 */
public final class SettleTracesService implements SettleTracesUseCase {
    /** Candidates per claim and per transaction. */
    static final int BATCH = 200;

    private final UnitOfWork unitOfWork;
    private final ClaimTaskCandidatesPort candidates;
    private final LoadTraceSpansPort spans;
    private final OutcomeRecorder recorder;
    private final Clock clock;
    private final TraceMapping mapping;
    private final String claimer;
    private final Duration lease;

    public SettleTracesService(ClaimTaskCandidatesPort candidates, LoadTraceSpansPort spans, OutcomePorts outcomes,
                               IdGenerator ids, Clock clock, BillingPolicy policy, TraceMapping mapping,
                               String claimer, Duration lease) {
        this.unitOfWork = outcomes.unitOfWork();
        this.candidates = candidates;
        this.spans = spans;
        this.recorder = new OutcomeRecorder(outcomes, ids, clock, policy);
        this.clock = clock;
        this.mapping = mapping;
        this.claimer = claimer;
        this.lease = lease;
    }

    @Override
    public SettleTracesResult settleDue() {
        Counts counts = new Counts();
        List<TaskCandidate> claimed;
        do {
            Instant now = clock.instant();
            claimed = unitOfWork.inTransaction(() -> candidates.claimDueTaskCandidates(BATCH, now, lease, claimer));
            if (!claimed.isEmpty()) {
                settle(claimed, now, counts);
            }
        } while (claimed.size() == BATCH);
        return new SettleTracesResult(counts.decided, counts.nested, counts.waiting, counts.refused);
    }

    private void settle(List<TaskCandidate> claimed, Instant now, Counts counts) {
        Map<String, List<ReceivedSpan>> traces = spans.findTraceSpans(
                claimed.stream().map(TaskCandidate::traceId).collect(Collectors.toSet()));
        List<CandidateSettlement> settlements = new ArrayList<>(claimed.size());
        List<TaskCandidate> tasks = new ArrayList<>();
        List<OutcomeReport> reports = new ArrayList<>();
        for (TaskCandidate candidate : claimed) {
            List<AgentSpan> trace = traces.getOrDefault(candidate.traceId(), List.of()).stream()
                    .map(ReceivedSpan::span).toList();
            Settlement settlement = TraceTasks.settle(candidate.spanId(), candidate.arrivedAt(), trace, now, mapping);
            if (settlement instanceof Settlement.Task task && candidate.subscription() != null) {
                tasks.add(candidate);
                reports.add(report(task.task(), candidate));
            } else if (settlement instanceof Settlement.Task) {
                settlements.add(refused(candidate, mapping.subscriptionAttribute()
                        + ": is required: the agent span was kept as nested in its export, and no agent span above it "
                        + "is kept any more"));
            } else if (settlement instanceof Settlement.Nested) {
                settlements.add(new CandidateSettlement.Nested(candidate.traceId(), candidate.spanId()));
            } else if (settlement instanceof Settlement.Waiting waiting) {
                settlements.add(new CandidateSettlement.Postponed(candidate.traceId(), candidate.spanId(),
                        waiting.until()));
            } else {
                settlements.add(refused(candidate, ((Settlement.Refused) settlement).reason()));
            }
        }
        // Recorded and marked in one transaction: either both happened or neither did.
        List<CandidateSettlement> settled = unitOfWork.inTransaction(() -> {
            List<CandidateSettlement> all = new ArrayList<>(settlements);
            List<OutcomeResult> results = reports.isEmpty() ? List.of() : recorder.record(reports, DecisionKind.METERED);
            for (int i = 0; i < results.size(); i++) {
                TaskCandidate candidate = tasks.get(i);
                OutcomeResult result = results.get(i);
                if (result instanceof OutcomeResult.Decided decided) {
                    all.add(new CandidateSettlement.Decided(candidate.traceId(), candidate.spanId(),
                            decided.correlationId()));
                } else if (result instanceof OutcomeResult.InvalidReport invalid) {
                    all.add(new CandidateSettlement.Refused(candidate.traceId(), candidate.spanId(),
                            invalid.field() + ": " + invalid.message()));
                } else {
                    all.add(new CandidateSettlement.Refused(candidate.traceId(), candidate.spanId(),
                            "correlation_id: " + reports.get(i).correlationId() + " is another outcome's"));
                }
            }
            candidates.settleTaskCandidates(all, now);
            return all;
        });
        for (CandidateSettlement settlement : settled) {
            if (settlement instanceof CandidateSettlement.Decided) {
                counts.decided++;
            } else if (settlement instanceof CandidateSettlement.Nested) {
                counts.nested++;
            } else if (settlement instanceof CandidateSettlement.Postponed) {
                counts.waiting++;
            } else {
                counts.refused++;
            }
        }
    }

    private static CandidateSettlement refused(TaskCandidate candidate, String reason) {
        return new CandidateSettlement.Refused(candidate.traceId(), candidate.spanId(), reason);
    }

    private static OutcomeReport report(TraceTask task, TaskCandidate candidate) {
        TaskUsage usage = task.usage();
        return new OutcomeReport(task.taskId(), task.agentId(), candidate.subscription(), task.correlationId(),
                task.occurredAt(), null, task.agentVersion(), null, null, task.evidence(),
                new OutcomeReport.UsageCounts(usage.tokensIn(), usage.tokensOut(), usage.durationMs(),
                        usage.apiCalls()));
    }

    private static final class Counts {
        int decided;
        int nested;
        int waiting;
        int refused;
    }
}
