package io.taskmetering.application.service;

import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.port.in.IngestTracesCommand;
import io.taskmetering.application.port.in.IngestTracesResult;
import io.taskmetering.application.port.in.SettleTracesResult;
import io.taskmetering.application.port.out.StorageException;
import io.taskmetering.application.testing.InMemoryStore.CandidateState;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.evaluation.Gate;
import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.ParentLocality;
import io.taskmetering.domain.trace.TraceTasks;
import io.taskmetering.domain.usage.RetentionPolicy;
import io.taskmetering.domain.usage.UsageRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.taskmetering.domain.testdata.AgentSpanBuilder.TRACE;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.agent;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.chat;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.id;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.span;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ingest and settle of OpenTelemetry traces on the in-memory store, through the application's one wiring. */
class TraceServicesTest {
    private static final SubscriptionRef SUB_A = new SubscriptionRef("sub-a");
    private static final SubscriptionRef SUB_B = new SubscriptionRef("sub-b");
    private static final String TASK = TRACE + ":" + id(1);

    private final TestMetering app = new TestMetering().at("2025-06-01T14:31:00Z");

    private final AgentSpan root = agent(1).during(0, 20).answer("Refund issued.").build();
    private final AgentSpan llm = chat(2, 1200, 300).parent(1).during(1, 5).build();
    private final AgentSpan search = tool(3, "search_orders").parent(1).during(6, 7).build();
    private final AgentSpan refund = tool(4, "issue_refund").parent(1).during(8, 9).build();

    private IngestTracesResult ingest(Set<SubscriptionRef> scope, AgentSpan... spans) {
        return app.useCases().ingestTraces().ingest(new IngestTracesCommand(List.of(spans), scope));
    }

    private IngestTracesResult ingest(AgentSpan... spans) {
        return ingest(Set.of(SUB_A), spans);
    }

    private SettleTracesResult settle() {
        return app.useCases().settleTraces().settleDue();
    }

    private SettleTracesResult settleAfter(Duration wait) {
        app.clock.advance(wait);
        return settle();
    }

    private Charge onlyCharge() {
        assertThat(app.store.charges()).hasSize(1);
        return app.store.charges().get(0);
    }

    @Test
    void anAgentRunWithInferenceAndToolsIsOneBilledTaskWithItsUsage() {
        IngestTracesResult ingested = ingest(llm, search, refund, root);

        assertThat(ingested).isEqualTo(new IngestTracesResult(4, List.of()));
        assertThat(settleAfter(Duration.ofMillis(4999))).isEqualTo(new SettleTracesResult(0, 0, 0, 0));
        assertThat(settleAfter(Duration.ofMillis(1))).isEqualTo(new SettleTracesResult(1, 0, 0, 0));

        Charge charge = onlyCharge();
        assertThat(charge.key().taskId().value()).isEqualTo(TASK);
        assertThat(charge.key().subscription()).isEqualTo(SUB_A);
        assertThat(charge.agentId().value()).isEqualTo("support-agent");
        assertThat(charge.occurredAt()).isEqualTo(root.endedAt());
        assertThat(charge.correlationId()).isEqualTo(TraceTasks.correlationId(TRACE, id(1)));
        UsageRecord usage = app.store.usageRecords().get(0);
        assertThat(List.of(usage.tokensIn(), usage.tokensOut(), usage.durationMs(), usage.apiCalls()))
                .containsExactly(1200L, 300L, 20_000L, 2L);
        assertThat(app.store.decisions().get(0).evidence().traces()).hasSize(4);
        assertThat(app.store.taskCandidateState(TRACE, id(1))).contains(CandidateState.TASK);
    }

    @Test
    void aFailedRunIsDecidedAndNotBilled() {
        ingest(agent(1).attribute(TraceTasks.ERROR_TYPE, "tool_error").build(), search);

        assertThat(settleAfter(Duration.ofSeconds(5)).tasksDecided()).isEqualTo(1);

        assertThat(app.store.charges()).isEmpty();
        assertThat(app.store.decisions().get(0).decision().failingGate()).contains(Gate.TERMINAL_SUCCESS);
        assertThat(app.store.usageRecords()).hasSize(1);
    }

    @Test
    void aNestedAgentIsEvidenceOfItsParentsTaskNotATask() {
        AgentSpan inner = agent(5).parent(1).attribute("gen_ai.agent.name", "researcher").during(2, 4).build();

        ingest(inner, root);

        assertThat(settleAfter(Duration.ofSeconds(5))).isEqualTo(new SettleTracesResult(1, 1, 0, 0));
        assertThat(onlyCharge().key().taskId().value()).isEqualTo(TASK);
        assertThat(app.store.taskCandidateState(TRACE, id(5))).contains(CandidateState.NESTED);
    }

    @Test
    void aRetriedExportChangesNothingAndATaskIsBilledOnce() {
        ingest(llm, search, refund, root);
        ingest(llm, search, refund, root);
        settleAfter(Duration.ofSeconds(5));

        ingest(llm, search, refund, root);

        assertThat(app.store.traceSpanCount()).isEqualTo(4);
        assertThat(settleAfter(Duration.ofMinutes(10))).isEqualTo(new SettleTracesResult(0, 0, 0, 0));
        assertThat(app.store.charges()).hasSize(1);
        assertThat(app.store.usageRecords()).hasSize(1);
    }

    @Test
    void spansSplitOverExportsAndOutOfOrderMakeOneTask() {
        ingest(refund);
        app.clock.advance(Duration.ofSeconds(2));
        ingest(root, search);
        app.clock.advance(Duration.ofSeconds(1));
        ingest(llm);

        settleAfter(Duration.ofSeconds(5));

        assertThat(app.store.decisions().get(0).evidence().traces()).extracting(e -> e.get("span_id"))
                .containsExactly(id(1), id(2), id(3), id(4));
        assertThat(app.store.usageRecords().get(0).tokensIn()).isEqualTo(1200);
    }

    @Test
    void aSpanArrivingAfterTheDecisionIsShownAsLateAndChangesNothingBilled() {
        ingest(root, search);
        settleAfter(Duration.ofSeconds(5));
        Charge charged = onlyCharge();

        app.clock.advance(Duration.ofSeconds(30));
        ingest(refund);
        settleAfter(Duration.ofSeconds(5));

        assertThat(app.store.charges()).containsExactly(charged);
        assertThat(app.store.usageRecords()).hasSize(1);
        EvidenceBundle bundle = app.useCases().charges().evidenceBundle(charged.correlationId()).orElseThrow();
        assertThat(bundle.decision().evidence().traces()).hasSize(2);
        assertThat(bundle.lateSpans()).singleElement().satisfies(late -> assertThat(late)
                .containsEntry("span_id", id(4))
                .containsEntry("tool_name", "issue_refund")
                .containsEntry("received_at", "2025-06-01T14:31:35Z"));
    }

    @Test
    void aReportedOutcomesBundleHasNoLateSpans() {
        ingest(root);
        settleAfter(Duration.ofSeconds(5));

        EvidenceBundle bundle = app.useCases().charges().evidenceBundle(onlyCharge().correlationId()).orElseThrow();

        assertThat(bundle.lateSpans()).isEmpty();
        assertThat(app.useCases().charges().evidenceBundle(CorrelationId.of("unknown"))).isEmpty();
    }

    @Test
    void aSpanWithoutSubscriptionIsRejectedNamingTheAttributeWhenTheKeyMetersSeveral() {
        IngestTracesResult result = ingest(Set.of(SUB_A, SUB_B), root, search);

        assertThat(result.acceptedSpans()).isEqualTo(1);
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.spanId()).isEqualTo(id(1));
            assertThat(r.reason()).startsWith("metering.subscription_ref: is required");
        });
        assertThat(settleAfter(Duration.ofMinutes(1))).isEqualTo(new SettleTracesResult(0, 0, 0, 0));
    }

    @Test
    void theSubscriptionTheSpanNamesIsMetered() {
        ingest(Set.of(), agent(1).resource("metering.subscription_ref", "sub-b").build());

        settleAfter(Duration.ofSeconds(5));

        assertThat(onlyCharge().key().subscription()).isEqualTo(SUB_B);
    }

    @Test
    void anAgentSpanWhoseInProcessParentIsMissingWaitsForItThenIsATask() {
        AgentSpan orphan = agent(7).parent(6).parentLocality(ParentLocality.LOCAL).build();
        ingest(orphan);

        assertThat(settleAfter(Duration.ofSeconds(5))).isEqualTo(new SettleTracesResult(0, 0, 1, 0));
        assertThat(settleAfter(Duration.ofSeconds(30))).isEqualTo(new SettleTracesResult(0, 0, 0, 0));
        assertThat(settleAfter(Duration.ofSeconds(25))).isEqualTo(new SettleTracesResult(1, 0, 0, 0));
    }

    @Test
    void aMissingParentThatArrivesInTimeMakesTheAgentSpanNested() {
        AgentSpan inner = agent(5).parent(1).build();
        ingest(inner);
        settleAfter(Duration.ofSeconds(5));

        ingest(root);

        assertThat(settleAfter(Duration.ofSeconds(5))).isEqualTo(new SettleTracesResult(1, 0, 0, 0));
        assertThat(settleAfter(Duration.ofSeconds(50))).isEqualTo(new SettleTracesResult(0, 1, 0, 0));
        assertThat(onlyCharge().key().taskId().value()).isEqualTo(TASK);
    }

    @Test
    void aSettleRunThatFailsLeavesNothingAndTheNextRunDecidesOnce() {
        ingest(llm, root);
        app.clock.advance(Duration.ofSeconds(5));
        app.store.failNext("settleTaskCandidates", new StorageException("database went away", true, null));

        assertThatThrownBy(this::settle).isInstanceOf(StorageException.class);
        assertThat(app.store.decisions()).isEmpty();
        assertThat(app.store.charges()).isEmpty();

        assertThat(settleAfter(TestMetering.LEASE)).isEqualTo(new SettleTracesResult(1, 0, 0, 0));
        assertThat(settle()).isEqualTo(new SettleTracesResult(0, 0, 0, 0));
        assertThat(app.store.charges()).hasSize(1);
        assertThat(app.store.usageRecords()).hasSize(1);
    }

    @Test
    void aCandidateClaimedByAnotherInstanceIsLeftToItUntilItsLeaseRunsOut() {
        ingest(root);
        app.clock.advance(Duration.ofSeconds(5));
        app.store.inTransaction(() -> app.store.claimDueTaskCandidates(10, app.clock.instant(), TestMetering.LEASE,
                "instance-2"));

        assertThat(settle()).isEqualTo(new SettleTracesResult(0, 0, 0, 0));
        assertThat(settleAfter(TestMetering.LEASE)).isEqualTo(new SettleTracesResult(1, 0, 0, 0));
    }

    @Test
    void aTaskIdNamedTwiceIsBilledOnceByTheChargeKey() {
        AgentSpan first = agent(1).attribute("metering.task_id", "ticket-9").build();
        AgentSpan second = agent(2).trace("0af7651916cd43dd8448eb211c80319c").attribute("metering.task_id", "ticket-9")
                .build();
        ingest(first, second);

        assertThat(settleAfter(Duration.ofSeconds(5)).tasksDecided()).isEqualTo(2);

        assertThat(onlyCharge().key().taskId().value()).isEqualTo("ticket-9");
    }

    @Test
    void spansOfDecidedTracesGoWithTheRetentionAndSpansNoTaskUsedAfterADay() {
        app.withRetention(RetentionPolicy.days(2));
        ingest(root, search);
        ingest(span(9, "GET /health").trace("0af7651916cd43dd8448eb211c80319c").build());
        settleAfter(Duration.ofSeconds(5));

        app.clock.advance(Duration.ofHours(25));
        assertThat(app.useCases().purgeExpired().purgeExpired().traceSpans()).isEqualTo(1);
        assertThat(app.store.traceSpanCount()).isEqualTo(2);

        app.clock.advance(Duration.ofDays(1));
        assertThat(app.useCases().purgeExpired().purgeExpired().traceSpans()).isEqualTo(2);
        assertThat(app.store.traceSpanCount()).isZero();
        assertThat(app.store.taskCandidateState(TRACE, id(1))).isEmpty();
    }

    @Test
    void spansOfATaskStillToBeSettledAreKept() {
        app.withRetention(RetentionPolicy.days(1));
        ingest(agent(7).parent(6).build());

        app.clock.advance(Duration.ofDays(3));
        app.useCases().purgeExpired().purgeExpired();

        assertThat(app.store.traceSpanCount()).isEqualTo(1);
        assertThat(app.store.taskCandidateState(TRACE, id(7))).contains(CandidateState.PENDING);
    }
}
