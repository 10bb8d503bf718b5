package io.taskmetering.application.service;

import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.port.in.IngestTracesCommand;
import io.taskmetering.application.testing.InMemoryStore.CandidateState;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.testdata.AgentSpanBuilder;
import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.TraceTasks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.taskmetering.domain.testdata.AgentSpanBuilder.TRACE;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.agent;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.chat;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.id;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.span;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.tool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trace's spans exported in any order, split over exports, retried, with settle runs at any moment in between:
 * the trace is one decision, one charge and one usage record, its nested agents are never tasks, and every span of
 * the task's tree is either in the decided evidence or shown as late — never both, never lost.
 */
class TraceSettlementPropertiesTest {
    private static final Set<SubscriptionRef> KEY = Set.of(new SubscriptionRef("sub-a"));

    /**
     * One step: export the next spans (or retry the previous export), after a pause, then maybe run a settle. The
     * pauses add up to less than the parent wait, so a nested agent's parent always arrives in time.
     */
    record Step(int spans, boolean retry, int pauseSeconds, boolean settle) {
    }

    record Scenario(List<AgentSpan> trace, List<Step> steps) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<AgentSpan>> traces = Arbitraries.integers().between(1, 12).flatMap(size -> Combinators.combine(
                Arbitraries.integers().between(0, 1000).list().ofSize(size),
                Arbitraries.integers().between(0, 3).list().ofSize(size),
                Arbitraries.randoms()).as((parents, kinds, random) -> {
                    List<AgentSpan> spans = new ArrayList<>();
                    spans.add(agent(1).during(0, 30).build());
                    for (int i = 1; i < size; i++) {
                        long parent = 1 + parents.get(i) % i;
                        AgentSpanBuilder b = switch (kinds.get(i)) {
                            case 0 -> chat(i + 1, 10L * i, i);
                            case 1 -> tool(i + 1, "tool-" + i);
                            case 2 -> agent(i + 1).attribute(TraceTasks.AGENT_NAME, "helper-" + i);
                            default -> span(i + 1, "step " + i);
                        };
                        spans.add(b.parent(parent).during(i, i + 1).build());
                    }
                    java.util.Collections.shuffle(spans, random);
                    return spans;
                }));
        Arbitrary<Step> steps = Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 8), Arbitraries.of(true, false)).as(Step::new);
        return Combinators.combine(traces, steps.list().ofMinSize(1).ofMaxSize(6)).as(Scenario::new);
    }

    @Property(tries = 300)
    void aTraceIsDecidedOnceAndEverySpanOfItsTreeIsEvidenceOrLate(@ForAll("scenarios") Scenario scenario) {
        TestMetering app = new TestMetering().at("2025-06-01T14:31:00Z");
        List<List<AgentSpan>> exports = new ArrayList<>();
        int next = 0;
        for (Step step : scenario.steps()) {
            app.clock.advance(Duration.ofSeconds(step.pauseSeconds()));
            List<AgentSpan> export;
            if (step.retry() && !exports.isEmpty()) {
                export = exports.get(exports.size() - 1);
            } else {
                int end = Math.min(scenario.trace().size(), next + step.spans());
                export = scenario.trace().subList(next, end);
                next = end;
            }
            exports.add(export);
            app.useCases().ingestTraces().ingest(new IngestTracesCommand(export, KEY));
            if (step.settle()) {
                app.useCases().settleTraces().settleDue();
            }
        }
        app.useCases().ingestTraces().ingest(new IngestTracesCommand(scenario.trace().subList(next,
                scenario.trace().size()), KEY));
        app.clock.advance(Duration.ofMinutes(10));
        app.useCases().settleTraces().settleDue();

        assertThat(app.store.decisions()).hasSize(1);
        assertThat(app.store.charges()).hasSize(1);
        assertThat(app.store.usageRecords()).hasSize(1);
        assertThat(app.store.taskCandidateState(TRACE, id(1))).contains(CandidateState.TASK);
        for (AgentSpan span : scenario.trace()) {
            if (TraceTasks.isAgentInvocation(span) && !span.spanId().equals(id(1))) {
                assertThat(app.store.taskCandidateState(TRACE, span.spanId())).contains(CandidateState.NESTED);
            }
        }
        EvidenceBundle bundle = app.useCases().charges()
                .evidenceBundle(TraceTasks.correlationId(TRACE, id(1))).orElseThrow();
        List<Object> decided = bundle.decision().evidence().traces().stream().map(e -> e.get("span_id")).toList();
        List<Object> late = bundle.lateSpans().stream().map(e -> e.get("span_id")).toList();
        Set<Object> all = new HashSet<>(decided);
        all.addAll(late);
        assertThat(all).hasSize(decided.size() + late.size()).hasSameSizeAs(scenario.trace()).contains(id(1));
        Statistics.collect(late.isEmpty() ? "no late spans" : "late spans");
        Statistics.coverage(coverage -> {
            coverage.check("late spans").count(n -> n > 0);
            coverage.check("no late spans").count(n -> n > 0);
        });
    }
}
