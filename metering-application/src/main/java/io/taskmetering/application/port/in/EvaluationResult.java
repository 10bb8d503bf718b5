package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.evaluation.Decision;

import java.util.Objects;

/** What evaluating one outcome did. */
public sealed interface EvaluationResult permits EvaluationResult.Evaluated, InvalidReport, CorrelationIdInUse {

    /** A stored decision; {@code replayed} when the correlation id was known and the stored decision is returned. */
    record Evaluated(CorrelationId correlationId, Decision decision, boolean replayed) implements EvaluationResult {
        public Evaluated {
            Objects.requireNonNull(correlationId, "correlationId");
            Objects.requireNonNull(decision, "decision");
        }
    }
}
