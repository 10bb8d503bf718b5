package io.taskmetering.application.port.in;

public interface EvaluateOutcomeUseCase {
    EvaluationResult evaluate(EvaluateOutcomeCommand command);
}
