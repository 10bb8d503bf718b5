package io.taskmetering.application.port.out;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.NewDecision;
import io.taskmetering.application.model.OutcomeRecord;

import java.util.List;

/** Keeps decisions for audit. Idempotent per correlation id by a unique constraint. */
public interface SaveDecisionsPort {
    /**
     * Inserts each decision with its expected outcome unless its correlation id exists (then nothing of it is written);
     * results in input order.
     */
    List<InsertResult> insertDecisions(List<NewDecision> decisions);

    /**
     * Replaces the stored outcome of decisions inserted in this unit of work whose recording ended otherwise than
     * expected.
     */
    void updateOutcomes(List<OutcomeRecord> outcomes);
}
