package io.taskmetering.application.port.out;

import io.taskmetering.application.model.DecisionWindowQuery;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;

import io.taskmetering.domain.common.CorrelationId;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface LoadDecisionsPort {
    Optional<StoredDecision> findDecision(CorrelationId correlationId);

    /** The stored outcome of each known correlation id; unknown ids and decisions never recorded are absent. */
    Map<CorrelationId, OutcomeRecord> findOutcomes(Collection<CorrelationId> correlationIds);

    Map<CorrelationId, StoredDecision> findDecisions(Collection<CorrelationId> correlationIds);

    /** One chunk of the metered decisions of a window, in order of (occurred_at, correlation id). */
    List<StoredDecision> findDecisionsOccurred(DecisionWindowQuery query);
}
