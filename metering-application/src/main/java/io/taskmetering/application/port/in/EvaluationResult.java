package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.evaluation.Decision;

/** A stored decision; {@code replayed} when the correlation id was known and the stored decision is returned. */
public record EvaluationResult(CorrelationId correlationId, Decision decision, boolean replayed) {
}
