package io.taskmetering.application.port.out;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;

import java.util.List;

/** Keeps decisions for audit. Idempotent per correlation id by a unique constraint. */
public interface SaveDecisionsPort {
    /** Inserts each decision unless its correlation id exists; results in input order. */
    List<InsertResult> insertDecisions(List<StoredDecision> decisions);

    /** Stores what recording each (newly inserted) decision ended as. */
    void saveOutcomes(List<OutcomeRecord> outcomes);
}
