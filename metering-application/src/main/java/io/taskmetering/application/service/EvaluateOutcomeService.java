package io.taskmetering.application.service;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.port.in.EvaluateOutcomeCommand;
import io.taskmetering.application.port.in.EvaluateOutcomeUseCase;
import io.taskmetering.application.port.in.EvaluationResult;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.OutcomePorts;

import java.time.Clock;

/** Evaluates an outcome and keeps the decision for audit; charges nothing. */
public final class EvaluateOutcomeService implements EvaluateOutcomeUseCase {
    private final OutcomeRecorder recorder;

    public EvaluateOutcomeService(OutcomePorts ports, IdGenerator ids, Clock clock, BillingPolicy policy) {
        this.recorder = new OutcomeRecorder(ports, ids, clock, policy);
    }

    @Override
    public EvaluationResult evaluate(EvaluateOutcomeCommand command) {
        OutcomeResult outcome = recorder.recordOne(command.report(), DecisionKind.EVALUATION_ONLY);
        return new EvaluationResult(outcome.correlationId(), outcome.decision(), outcome.replayed());
    }
}
