package io.taskmetering.application.model;

import java.util.Objects;

/**
 * A decision to insert together with the outcome its recording is expected to end as, so that the outcome is part of
 * the decision's one row; a recording that ends otherwise corrects it ({@code SaveDecisionsPort.updateOutcomes}).
 */
public record NewDecision(StoredDecision decision, OutcomeRecord expectedOutcome) {
    public NewDecision {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(expectedOutcome, "expectedOutcome");
        if (!expectedOutcome.correlationId().equals(decision.correlationId())) {
            throw new IllegalArgumentException("outcome " + expectedOutcome.correlationId() + " is not decision "
                    + decision.correlationId() + "'s");
        }
    }

    /** A decision whose recording charges nothing. */
    public static NewDecision notBillable(StoredDecision decision) {
        return new NewDecision(decision, new OutcomeRecord.NotBillable(decision.correlationId()));
    }
}
