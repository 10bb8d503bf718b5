package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.evaluation.Decision;

import java.util.Objects;
import io.taskmetering.application.port.in.OutcomeResult.InvalidReport;
import io.taskmetering.application.port.in.OutcomeResult.CorrelationIdInUse;

/** What evaluating one outcome did. */
public sealed interface EvaluationResult
        permits EvaluationResult.Evaluated, OutcomeResult.InvalidReport, OutcomeResult.CorrelationIdInUse {

    /** A stored decision; {@code replayed} when the correlation id was known and the stored decision is returned. */
    record Evaluated(CorrelationId correlationId, Decision decision, boolean replayed) implements EvaluationResult {
        public Evaluated {
            Objects.requireNonNull(correlationId, "correlationId");
            Objects.requireNonNull(decision, "decision");
        }
    }
}
