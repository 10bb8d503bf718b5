package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.CorrelationId;

import java.util.Objects;

/**
 * The correlation id was recorded before for another task or subscription. A correlation id belongs to one task of
 * one subscription; the stored result is not shown (it may be another subscription's) and nothing was written.
 */
public record CorrelationIdInUse(CorrelationId correlationId) implements OutcomeResult, EvaluationResult {
    public CorrelationIdInUse {
        Objects.requireNonNull(correlationId, "correlationId");
    }
}
