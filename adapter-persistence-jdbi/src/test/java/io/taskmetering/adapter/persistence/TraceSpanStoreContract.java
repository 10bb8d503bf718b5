package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.CandidateSettlement;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.model.TaskCandidate;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.ParentLocality;
import io.taskmetering.domain.trace.SpanEvent;
import io.taskmetering.domain.trace.SpanKind;
import io.taskmetering.domain.trace.SpanStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.agent;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.id;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * SaveTraceSpansPort, ClaimTaskCandidatesPort and LoadTraceSpansPort: spans and candidates kept once by (trace id, span
 * id), candidates claimed under leases and settled once, spans read back exactly as sent, and the purge of spans.
 */
abstract class TraceSpanStoreContract extends StoreContract {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Instant DUE = T0.plusSeconds(5);

    private <T> T tx(Supplier<T> work) {
        return ports.unitOfWork().inTransaction(work);
    }

    private List<InsertResult> keep(ReceivedSpan... spans) {
        return tx(() -> ports.saveTraceSpans().insertTraceSpans(List.of(spans)));
    }

    private List<InsertResult> candidates(TaskCandidate... candidates) {
        return tx(() -> ports.saveTraceSpans().insertTaskCandidates(List.of(candidates), DUE));
    }

    private List<TaskCandidate> claim(Instant now, String claimer) {
        return tx(() -> ports.claimTaskCandidates().claimDueTaskCandidates(10, now, LEASE, claimer));
    }

    private void settle(CandidateSettlement... settlements) {
        ports.unitOfWork().run(() -> ports.claimTaskCandidates().settleTaskCandidates(List.of(settlements),
                DUE.plusSeconds(1)));
    }

    private static TaskCandidate candidate(String trace, long span) {
        return new TaskCandidate(trace, id(span), SUB, T0);
    }

    private static ReceivedSpan received(AgentSpan span, Instant at) {
        return new ReceivedSpan(span, at);
    }

    private List<ReceivedSpan> spansOf(String trace) {
        return ports.loadTraceSpans().findTraceSpans(Set.of(trace)).getOrDefault(trace, List.of());
    }

    @Test
    void severalTracesAreReadInOneCallEachWithOnlyItsOwnSpans() {
        AgentSpan mine = agent(1).build();
        AgentSpan other = tool(7, "search").trace(OTHER_TRACE).build();
        keep(received(mine, T0), received(other, T0));

        assertThat(ports.loadTraceSpans().findTraceSpans(Set.of(TRACE, OTHER_TRACE,
                "11111111111111111111111111111111")))
                .containsOnly(entry(TRACE, List.of(received(mine, T0))), entry(OTHER_TRACE, List.of(received(other, T0))));
        assertThat(ports.loadTraceSpans().findTraceSpans(Set.of())).isEmpty();
    }

    @Test
    void aSpanIsReadBackExactlyAsSent() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("gen_ai.operation.name", "invoke_agent");
        attributes.put("flag", true);
        attributes.put("count", Long.MAX_VALUE);
        attributes.put("ratio", 0.1);
        attributes.put("whole", 2.0);
        attributes.put("tiny", 4.9e-324);
        attributes.put("nan", Double.NaN);
        attributes.put("infinite", Double.NEGATIVE_INFINITY);
        attributes.put("list", List.of("a", 1L, 1.5, false));
        attributes.put("text", "Grüße \uD83D\uDE00 \"quoted\" \\ line\nbreak");
        AgentSpan span = new AgentSpan(TRACE, id(2), id(1), ParentLocality.REMOTE, "invoke_agent helper",
                SpanKind.CLIENT, Instant.parse("2026-02-06T14:00:00.123456789Z"),
                Instant.parse("2026-02-06T14:00:01.000000001Z"), SpanStatus.ERROR, "boom", attributes,
                Map.of("service.name", "helper", "metering.subscription_ref", "sub-1"),
                List.of(new SpanEvent("gen_ai.evaluation.result", Instant.parse("2026-02-06T14:00:00.5Z"),
                        Map.of("gen_ai.evaluation.score.value", 4.5)), new SpanEvent("note", null, null)));

        keep(received(span, T0));

        assertThat(spansOf(TRACE)).containsExactly(received(span, T0));
        assertThat(spansOf(OTHER_TRACE)).isEmpty();
    }

    @Test
    void theSameSpanAgainIsKeptOutFirstWinsAlsoWithinOneList() {
        AgentSpan first = agent(1).build();
        AgentSpan resent = agent(1).attribute("changed", true).build();

        assertThat(keep(received(first, T0), received(resent, T0))).containsExactly(InsertResult.INSERTED,
                InsertResult.ALREADY_PRESENT);
        assertThat(keep(received(resent, T0.plusSeconds(9)), received(tool(2, "search").build(), T0)))
                .containsExactly(InsertResult.ALREADY_PRESENT, InsertResult.INSERTED);

        assertThat(spansOf(TRACE)).containsExactlyInAnyOrder(received(first, T0),
                received(tool(2, "search").build(), T0));
    }

    @Test
    void aCandidateIsKeptOnceAndClaimedOnceDue() {
        assertThat(candidates(candidate(TRACE, 1), candidate(TRACE, 1))).containsExactly(InsertResult.INSERTED,
                InsertResult.ALREADY_PRESENT);
        assertThat(candidates(candidate(TRACE, 1))).containsExactly(InsertResult.ALREADY_PRESENT);

        assertThat(claim(DUE.minusNanos(1000), "a")).isEmpty();
        assertThat(claim(DUE, "a")).containsExactly(candidate(TRACE, 1));
    }

    @Test
    void aClaimHoldsUntilItsLeaseRunsOut() {
        candidates(candidate(TRACE, 1), candidate(OTHER_TRACE, 2));

        assertThat(claim(DUE, "a")).hasSize(2);
        assertThat(claim(DUE.plus(LEASE).minusNanos(1000), "b")).isEmpty();
        assertThat(claim(DUE.plus(LEASE), "b")).containsExactlyInAnyOrder(candidate(TRACE, 1), candidate(OTHER_TRACE, 2));
    }

    @Test
    void aNestedCandidateKeepsItsMissingSubscription() {
        TaskCandidate nested = new TaskCandidate(TRACE, id(3), null, T0);
        candidates(nested);

        assertThat(claim(DUE, "a")).containsExactly(nested);
    }

    @Test
    void aDecidedCandidateIsNeverClaimedAgainAndIsFoundByItsOutcome() {
        candidates(candidate(TRACE, 1), candidate(TRACE, 2), candidate(TRACE, 3));
        claim(DUE, "a");

        settle(new CandidateSettlement.Decided(TRACE, id(1), CorrelationId.of("otlp-1")),
                new CandidateSettlement.Nested(TRACE, id(2)),
                new CandidateSettlement.Refused(TRACE, id(3), "gen_ai.agent.id: is required " + "x".repeat(2000)));

        assertThat(claim(DUE.plus(Duration.ofDays(1)), "b")).isEmpty();
        assertThat(ports.loadTraceSpans().findDecidedTaskCandidate(CorrelationId.of("otlp-1")))
                .contains(candidate(TRACE, 1));
        assertThat(ports.loadTraceSpans().findDecidedTaskCandidate(CorrelationId.of("otlp-2"))).isEmpty();
    }

    @Test
    void aSettledCandidateStaysAsItWasSettledFirst() {
        candidates(candidate(TRACE, 1));
        settle(new CandidateSettlement.Decided(TRACE, id(1), CorrelationId.of("otlp-1")));

        settle(new CandidateSettlement.Decided(TRACE, id(1), CorrelationId.of("otlp-other")),
                new CandidateSettlement.Postponed(TRACE, id(1), DUE.plusSeconds(60)));

        assertThat(ports.loadTraceSpans().findDecidedTaskCandidate(CorrelationId.of("otlp-1")))
                .contains(candidate(TRACE, 1));
        assertThat(ports.loadTraceSpans().findDecidedTaskCandidate(CorrelationId.of("otlp-other"))).isEmpty();
        assertThat(claim(DUE.plus(Duration.ofDays(1)), "b")).isEmpty();
    }

    @Test
    void aPostponedCandidateIsReleasedAndDueAgainAtItsTime() {
        candidates(candidate(TRACE, 1));
        claim(DUE, "a");
        Instant until = DUE.plusSeconds(60);

        settle(new CandidateSettlement.Postponed(TRACE, id(1), until));

        assertThat(claim(until.minusNanos(1000), "b")).isEmpty();
        assertThat(claim(until, "b")).containsExactly(candidate(TRACE, 1));
    }

    @Test
    void thePurgeTakesSpansOfSettledTracesAndUnusedSpansNeverThoseStillToBeSettled() {
        Instant old = T0.minus(Duration.ofDays(40));
        keep(received(agent(1).build(), old), received(tool(2, "search").parent(1).build(), old),
                received(agent(1).trace(OTHER_TRACE).build(), old),
                received(tool(5, "health").trace("11111111111111111111111111111111").build(), old));
        ports.unitOfWork().run(() -> {
            ports.saveTraceSpans().insertTaskCandidates(List.of(candidate(TRACE, 1), candidate(OTHER_TRACE, 1)),
                    old.plusSeconds(5));
            ports.claimTaskCandidates().settleTaskCandidates(List.of(new CandidateSettlement.Decided(TRACE, id(1),
                    CorrelationId.of("otlp-1"))), old.plusSeconds(6));
        });

        Instant cutoff = T0.minus(Duration.ofDays(30));
        assertThat(tx(() -> ports.retentionPurge().purgeBefore(cutoff, 1)).traceSpans()).isEqualTo(1);
        assertThat(tx(() -> ports.retentionPurge().purgeBefore(cutoff, 10)).traceSpans()).isEqualTo(1);
        assertThat(tx(() -> ports.retentionPurge().purgeUnusedTraceSpans(cutoff, 10))).isEqualTo(1);

        assertThat(spansOf(TRACE)).isEmpty();
        assertThat(ports.loadTraceSpans().findDecidedTaskCandidate(CorrelationId.of("otlp-1"))).isEmpty();
        assertThat(spansOf(OTHER_TRACE)).hasSize(1);
        assertThat(spansOf("11111111111111111111111111111111")).isEmpty();
        assertThat(claim(T0, "a")).containsExactly(candidate(OTHER_TRACE, 1));
    }

    @Test
    void thePurgeKeepsWhatArrivedAfterTheCutoff() {
        keep(received(tool(5, "health").build(), T0));

        assertThat(tx(() -> ports.retentionPurge().purgeUnusedTraceSpans(T0, 10))).isZero();
        assertThat(tx(() -> ports.retentionPurge().purgeUnusedTraceSpans(T0.plusNanos(1000), 10))).isEqualTo(1);
    }
}
