package io.taskmetering.application.testing;

import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.OutcomeReport.UsageCounts;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.testdata.EvidenceBuilder;

import java.time.Instant;

/**
 * Builds {@link OutcomeReport}s. Defaults: Contoso's task-001 by agent-alpha for sub-contoso-001 at
 * 2025-06-01T14:05Z with the happy-path evidence; no correlation id, dimension, plan or usage (the service defaults).
 */
public final class OutcomeReportBuilder {
    private String taskId = "task-001";
    private String agentId = "agent-alpha";
    private String subscription = "sub-contoso-001";
    private String correlationId;
    private Instant occurredAt = Instant.parse("2025-06-01T14:05:00Z");
    private String workflowId;
    private String agentVersion;
    private String dimension;
    private String planId;
    private Evidence evidence = EvidenceBuilder.anEvidence().build();
    private UsageCounts usage;

    private OutcomeReportBuilder() {
    }

    public static OutcomeReportBuilder aReport() {
        return new OutcomeReportBuilder();
    }

    public OutcomeReportBuilder forTask(String value) {
        this.taskId = value;
        return this;
    }

    public OutcomeReportBuilder byAgent(String value) {
        this.agentId = value;
        return this;
    }

    public OutcomeReportBuilder forSubscription(String value) {
        this.subscription = value;
        return this;
    }

    public OutcomeReportBuilder withCorrelationId(String value) {
        this.correlationId = value;
        return this;
    }

    /** {@code null} leaves the time to the service (time of receipt). */
    public OutcomeReportBuilder occurredAt(Instant value) {
        this.occurredAt = value;
        return this;
    }

    public OutcomeReportBuilder occurredAt(String iso) {
        return occurredAt(Instant.parse(iso));
    }

    public OutcomeReportBuilder inWorkflow(String workflow, String version) {
        this.workflowId = workflow;
        this.agentVersion = version;
        return this;
    }

    public OutcomeReportBuilder withDimension(String value) {
        this.dimension = value;
        return this;
    }

    public OutcomeReportBuilder withPlan(String value) {
        this.planId = value;
        return this;
    }

    public OutcomeReportBuilder withEvidence(Evidence value) {
        this.evidence = value;
        return this;
    }

    public OutcomeReportBuilder withEvidence(EvidenceBuilder value) {
        return withEvidence(value.build());
    }

    /** Evidence of a task that did not finish ({@code terminal_success:failed}). */
    public OutcomeReportBuilder failed() {
        return withEvidence(EvidenceBuilder.anEvidence().withOutput("status", "failed"));
    }

    /** Evidence with a blank result ({@code output_validation:invalid=result}). */
    public OutcomeReportBuilder withEmptyResult() {
        return withEvidence(EvidenceBuilder.anEvidence().withOutput("result", ""));
    }

    /** Evidence flagging a human hand-off: held for review by the default contract. */
    public OutcomeReportBuilder handedOffToHuman() {
        return withEvidence(EvidenceBuilder.anEvidence().withOutput("human_handoff", true));
    }

    public OutcomeReportBuilder withUsage(long tokensIn, long tokensOut, long durationMs, long apiCalls) {
        this.usage = new UsageCounts(tokensIn, tokensOut, durationMs, apiCalls);
        return this;
    }

    public OutcomeReport build() {
        return new OutcomeReport(TaskId.of(taskId), AgentId.of(agentId), SubscriptionRef.of(subscription),
                correlationId == null ? null : CorrelationId.of(correlationId), occurredAt, workflowId, agentVersion,
                dimension == null ? null : Dimension.of(dimension), planId == null ? null : PlanId.of(planId), evidence,
                usage);
    }

    public RecordOutcomeCommand command() {
        return new RecordOutcomeCommand(build());
    }
}
