package io.taskmetering.domain.testdata;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.meter.Outcome;

import java.time.Instant;

/**
 * Builds {@link Outcome}s for the embedding API, shared through the domain test-jar. Defaults: Contoso's task-001 by
 * agent-alpha for sub-contoso-001 at 2025-06-01T14:05Z with the happy-path evidence of {@link EvidenceBuilder}, and no
 * correlation id (the meter generates one).
 */
public final class OutcomeBuilder {
    private String correlationId;
    private String taskId = "task-001";
    private String agentId = "agent-alpha";
    private String subscription = "sub-contoso-001";
    private Instant occurredAt = Instant.parse("2025-06-01T14:05:00Z");
    private Evidence evidence = EvidenceBuilder.anEvidence().build();

    private OutcomeBuilder() {
    }

    public static OutcomeBuilder anOutcome() {
        return new OutcomeBuilder();
    }

    public OutcomeBuilder withCorrelationId(String value) {
        this.correlationId = value;
        return this;
    }

    public OutcomeBuilder forTask(String value) {
        this.taskId = value;
        return this;
    }

    public OutcomeBuilder byAgent(String value) {
        this.agentId = value;
        return this;
    }

    public OutcomeBuilder forSubscription(String value) {
        this.subscription = value;
        return this;
    }

    public OutcomeBuilder occurredAt(Instant value) {
        this.occurredAt = value;
        return this;
    }

    public OutcomeBuilder occurredAt(String iso) {
        return occurredAt(Instant.parse(iso));
    }

    public OutcomeBuilder withEvidence(Evidence value) {
        this.evidence = value;
        return this;
    }

    public OutcomeBuilder withEvidence(EvidenceBuilder value) {
        return withEvidence(value.build());
    }

    /** Evidence of a task that did not finish: {@code status: failed}, so gate 1 fails. */
    public OutcomeBuilder failed() {
        return withEvidence(EvidenceBuilder.anEvidence().withOutput("status", "failed"));
    }

    /** Evidence with a blank {@code result}, so gate 3 fails with {@code invalid=result}. */
    public OutcomeBuilder withEmptyResult() {
        return withEvidence(EvidenceBuilder.anEvidence().withOutput("result", ""));
    }

    /** Evidence that flags a human hand-off, so the default contract holds it for review. */
    public OutcomeBuilder handedOffToHuman() {
        return withEvidence(EvidenceBuilder.anEvidence().withOutput("human_handoff", true));
    }

    public Outcome build() {
        return new Outcome(correlationId == null ? null : CorrelationId.of(correlationId), TaskId.of(taskId),
                AgentId.of(agentId), SubscriptionRef.of(subscription), occurredAt, evidence);
    }
}
