package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.model.EvidenceCanonicalization;
import io.taskmetering.application.model.NewDecision;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.OutcomeReport.UsageCounts;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.usage.UsageRecord;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;

/** Test data shared by the contract suites. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-02-06T14:00:00Z");
    static final BillingHour HOUR = new BillingHour(T0);
    static final SubscriptionRef SUB = new SubscriptionRef("sub-1");
    static final SubscriptionRef SUB2 = new SubscriptionRef("sub-2");
    static final Dimension DIM = Dimension.TASK_COMPLETED;
    static final PlanId PLAN = new PlanId("plan-basic");
    static final AgentId AGENT = new AgentId("agent-1");
    static final AdherenceContract CONTRACT = new AdherenceContract(ContractConfig.defaults());

    private Fixtures() {
    }

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static CorrelationId cid(String id) {
        return new CorrelationId(id);
    }

    /** Decisions to insert whose recording charged nothing. */
    static List<NewDecision> notBillable(List<StoredDecision> decisions) {
        return decisions.stream().map(NewDecision::notBillable).toList();
    }

    static StoredDecision decision(String correlationId, String taskId) {
        return decision(correlationId, taskId, anEvidence().build());
    }

    static StoredDecision decision(String correlationId, String taskId, Evidence evidence) {
        return new StoredDecision(cid(correlationId), new TaskId(taskId), AGENT, SUB, DIM, PLAN, DecisionKind.METERED,
                T0.plusSeconds(5), T0.plusSeconds(6), evidence, CONTRACT.evaluate(evidence),
                Map.of("workflow_id", "wf-1"), EvidenceCanonicalization.RFC8785);
    }

    static ChargeKey key(SubscriptionRef sub, String taskId) {
        return new ChargeKey(sub, DIM, new TaskId(taskId), ChargeKey.TASK_SCOPE);
    }

    static Charge qualified(String correlationId, String taskId) {
        return qualified(correlationId, SUB, taskId, HOUR);
    }

    static Charge qualified(String correlationId, SubscriptionRef sub, String taskId, BillingHour hour) {
        return Charge.qualified(cid(correlationId), key(sub, taskId), AGENT, hour.start().plusSeconds(30),
                new HourAttribution(hour, false), hour.start().plusSeconds(31));
    }

    static Charge held(String correlationId, String taskId) {
        return Charge.heldForReview(cid(correlationId), key(SUB, taskId), AGENT, T0.plusSeconds(30),
                new HourAttribution(HOUR, false), List.of("human_handoff"), T0.plusSeconds(31));
    }

    static BucketKey bucket(SubscriptionRef sub, BillingHour hour) {
        return new BucketKey(sub, DIM, hour);
    }

    static UsageRecord usage(String consumer, String task, String agent, long tokensIn, long tokensOut, Instant at) {
        return new UsageRecord(new TaskId(task), new AgentId(agent), new ConsumerId(consumer), tokensIn, tokensOut,
                10 * tokensIn, 1, at);
    }

    /** A billable outcome report for {@code taskId}, with usage, happening at {@code at}. */
    static RecordOutcomeCommand outcome(SubscriptionRef sub, String taskId, String correlationId, Instant at) {
        return new RecordOutcomeCommand(new OutcomeReport(new TaskId(taskId), AGENT, sub,
                correlationId == null ? null : cid(correlationId), at, null, null, null, null, anEvidence().build(),
                new UsageCounts(100, 50, 1200, 3)));
    }
}
