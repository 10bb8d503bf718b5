package io.taskmetering.application.port.in;

import java.util.Objects;

/** The report was refused; {@code field} names what was wrong. Nothing of it was written. */
public record InvalidReport(String field, String message) implements OutcomeResult, EvaluationResult {
    public InvalidReport {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
