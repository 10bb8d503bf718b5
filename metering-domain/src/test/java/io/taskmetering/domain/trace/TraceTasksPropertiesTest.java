package io.taskmetering.domain.trace;

import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.testdata.AgentSpanBuilder;
import io.taskmetering.domain.usage.UsageRecord;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.taskmetering.domain.testdata.AgentSpanBuilder.START;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.agent;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.chat;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.span;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.tool;
import static org.assertj.core.api.Assertions.assertThat;

/** What the trace mapping promises for any trace, however its spans arrive. */
class TraceTasksPropertiesTest {
    private static final TraceMapping MAPPING = TraceMapping.defaults();
    private static final SubscriptionRef SUB = new SubscriptionRef("sub-a");
    /** Long after every arrival: every wait has passed. */
    private static final Instant LATER = START.plusSeconds(3600);

    /** A trace: span 1 is the root agent invocation; every other span hangs below an earlier one. */
    record Trace(List<AgentSpan> spans) {
        AgentSpan root() {
            return spans.get(0);
        }

        List<AgentSpan> agents() {
            return spans.stream().filter(TraceTasks::isAgentInvocation).toList();
        }
    }

    @Provide
    Arbitrary<Trace> traces() {
        return Arbitraries.integers().between(1, 25).flatMap(size -> Combinators.combine(
                Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofSize(size),
                Arbitraries.integers().between(0, 3).list().ofSize(size),
                Arbitraries.longs().between(0, 2 * UsageRecord.MAX_COUNT).list().ofSize(size),
                Arbitraries.of(SpanStatus.values()).list().ofSize(size)).as(TraceTasksPropertiesTest::trace));
    }

    private static Trace trace(List<Integer> parents, List<Integer> kinds, List<Long> tokens, List<SpanStatus> states) {
        List<AgentSpan> spans = new ArrayList<>();
        spans.add(agent(1).during(0, 100).status(states.get(0)).build());
        for (int i = 1; i < parents.size(); i++) {
            long id = i + 1;
            long parent = 1 + parents.get(i) % i;
            AgentSpanBuilder b = switch (kinds.get(i)) {
                case 0 -> chat(id, tokens.get(i), tokens.get(i) / 7);
                case 1 -> tool(id, "tool-" + (i % 3));
                case 2 -> agent(id).attribute(TraceTasks.AGENT_NAME, "agent-" + (i % 4));
                default -> span(id, "step " + i);
            };
            spans.add(b.parent(parent).during(i, i + 1).status(states.get(i)).build());
        }
        return new Trace(spans);
    }

    @Property
    void anyArrivalOrderAndAnySplitIntoExportsGivesTheSameTaskOnceAllArrived(@ForAll("traces") Trace trace,
                                                                            @ForAll Random random,
                                                                            @ForAll @IntRange(min = 1, max = 5) int exports) {
        Settlement inOrder = TraceTasks.settle(trace.root().spanId(), START, trace.spans(), LATER, MAPPING);

        List<AgentSpan> shuffled = new ArrayList<>(trace.spans());
        Collections.shuffle(shuffled, random);
        List<AgentSpan> arrived = new ArrayList<>();
        Instant rootArrival = null;
        for (int export = 0; export < exports; export++) {
            List<AgentSpan> part = shuffled.subList(export * shuffled.size() / exports,
                    (export + 1) * shuffled.size() / exports);
            List<SpanAdmission> admissions = TraceTasks.admit(part, Set.of(SUB), MAPPING, START);
            assertThat(admissions).noneMatch(SpanAdmission.Rejected.class::isInstance);
            if (part.contains(trace.root())) {
                rootArrival = START.plusSeconds(export);
            }
            arrived.addAll(part);
            arrived.add(part.isEmpty() ? trace.root() : part.get(0)); // an exporter's retry of a span
        }
        Settlement outOfOrder = TraceTasks.settle(trace.root().spanId(), rootArrival, arrived, LATER, MAPPING);

        assertThat(outOfOrder).isEqualTo(inOrder).isInstanceOf(Settlement.Task.class);
    }

    @Property
    void aNestedAgentSpanIsNeverATask(@ForAll("traces") Trace trace) {
        for (AgentSpan agent : trace.agents()) {
            if (agent != trace.root()) {
                assertThat(TraceTasks.settle(agent.spanId(), START, trace.spans(), LATER, MAPPING))
                        .isInstanceOf(Settlement.Nested.class);
            }
        }
    }

    @Property
    void aTraceGivesOneTaskPerRootWhoseEvidenceListsEachSpanOfItsTreeOnce(@ForAll("traces") Trace trace) {
        List<TraceTask> tasks = new ArrayList<>();
        for (AgentSpan agent : trace.agents()) {
            if (TraceTasks.settle(agent.spanId(), START, trace.spans(), LATER, MAPPING) instanceof Settlement.Task t) {
                tasks.add(t.task());
            }
        }

        assertThat(tasks).hasSize(1);
        List<Object> listed = tasks.get(0).evidence().traces().stream().map(e -> e.get("span_id")).toList();
        assertThat(new HashSet<>(listed)).hasSameSizeAs(listed).hasSameSizeAs(trace.spans());
    }

    @Property
    void usageNeverPassesTheReportableMaximumAndNeverCountsTheAgentSpanAndItsInferenceSpansBoth(
            @ForAll("traces") Trace trace) {
        TaskUsage usage = ((Settlement.Task) TraceTasks.settle(trace.root().spanId(), START, trace.spans(), LATER,
                MAPPING)).task().usage();

        long sum = 0;
        for (AgentSpan span : trace.spans()) {
            if (span.attributes().get(TraceTasks.INPUT_TOKENS) instanceof Long tokens) {
                sum = Math.min(UsageRecord.MAX_COUNT, sum + Math.min(tokens, UsageRecord.MAX_COUNT));
            }
        }
        assertThat(usage.tokensIn()).isEqualTo(sum).isLessThanOrEqualTo(UsageRecord.MAX_COUNT);
        assertThat(usage.apiCalls()).isEqualTo(trace.spans().stream()
                .filter(s -> TraceTasks.EXECUTE_TOOL.equals(s.attributes().get(TraceTasks.OPERATION))).count());
    }

    @Property
    void anyTextAsOutputMessagesIsReadOrLeftOutNeverAFailure(@ForAll String text) {
        AgentSpan root = agent(1).attribute(TraceTasks.OUTPUT_MESSAGES, text).build();

        assertThat(TraceTasks.settle(root.spanId(), START, List.of(root), LATER, MAPPING))
                .isInstanceOf(Settlement.Task.class);
    }
}
