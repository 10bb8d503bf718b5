package io.taskmetering.application.service;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.port.in.OutcomeResult.CorrelationIdInUse;
import io.taskmetering.application.port.in.EvaluateOutcomeCommand;
import io.taskmetering.application.port.in.EvaluateOutcomeUseCase;
import io.taskmetering.application.port.in.EvaluationResult;
import io.taskmetering.application.port.in.OutcomeResult.InvalidReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.OutcomePorts;

import java.time.Clock;
import java.util.List;

/** Evaluates an outcome and keeps the decision for audit; charges nothing. */
public final class EvaluateOutcomeService implements EvaluateOutcomeUseCase {
    private final OutcomeRecorder recorder;

    public EvaluateOutcomeService(OutcomePorts ports, IdGenerator ids, Clock clock, BillingPolicy policy) {
        this.recorder = new OutcomeRecorder(ports, ids, clock, policy);
    }

    @Override
    public EvaluationResult evaluate(EvaluateOutcomeCommand command) {
        OutcomeResult outcome = recorder.record(List.of(command.report()), DecisionKind.EVALUATION_ONLY).get(0);
        if (outcome instanceof OutcomeResult.Decided decided) {
            return new EvaluationResult.Evaluated(decided.correlationId(), decided.decision(), decided.replayed());
        }
        if (outcome instanceof InvalidReport invalid) {
            return invalid;
        }
        return (CorrelationIdInUse) outcome;
    }
}
