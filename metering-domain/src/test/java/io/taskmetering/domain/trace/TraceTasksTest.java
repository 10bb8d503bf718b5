package io.taskmetering.domain.trace;

import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.Gate;
import io.taskmetering.domain.testdata.AgentSpanBuilder;
import io.taskmetering.domain.usage.UsageRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taskmetering.domain.testdata.AgentSpanBuilder.START;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.TRACE;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.agent;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.chat;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.id;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.span;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.tool;
import static org.assertj.core.api.Assertions.assertThat;

class TraceTasksTest {
    private static final TraceMapping MAPPING = TraceMapping.defaults();
    private static final SubscriptionRef SUB_A = new SubscriptionRef("sub-a");
    private static final SubscriptionRef SUB_B = new SubscriptionRef("sub-b");
    /** When the spans arrived; the settle delay (5 s) and the parent wait (60 s) count from here. */
    private static final Instant ARRIVED = START.plusSeconds(10);
    private static final Instant SETTLED = ARRIVED.plusSeconds(5);

    private static TraceTask task(AgentSpan... trace) {
        Settlement settlement = TraceTasks.settle(trace[0].spanId(), ARRIVED, List.of(trace), SETTLED, MAPPING);
        assertThat(settlement).isInstanceOf(Settlement.Task.class);
        return ((Settlement.Task) settlement).task();
    }

    private static Decision decide(ContractConfig contract, AgentSpan... trace) {
        return new AdherenceContract(contract).evaluate(task(trace).evidence());
    }

    @Nested
    class AgentInvocations {
        @Test
        void anInvokeAgentSpanOfKindInternalOrClientIsOne() {
            assertThat(TraceTasks.isAgentInvocation(agent(1).build())).isTrue();
            assertThat(TraceTasks.isAgentInvocation(agent(1).kind(SpanKind.CLIENT).build())).isTrue();
        }

        @Test
        void aServerSpanAnInferenceSpanOrAToolCallIsNot() {
            assertThat(TraceTasks.isAgentInvocation(agent(1).kind(SpanKind.SERVER).build())).isFalse();
            assertThat(TraceTasks.isAgentInvocation(chat(2, 10, 5).build())).isFalse();
            assertThat(TraceTasks.isAgentInvocation(tool(3, "search").build())).isFalse();
        }
    }

    @Nested
    class Admission {
        private List<SpanAdmission> admit(Set<SubscriptionRef> scope, AgentSpan... spans) {
            return TraceTasks.admit(List.of(spans), scope, MAPPING, ARRIVED);
        }

        @Test
        void theSubscriptionComesFromTheSpanThenItsResourceThenTheKeysOnlyOne() {
            AgentSpan onSpan = agent(1).attribute("metering.subscription_ref", "sub-b")
                    .resource("metering.subscription_ref", "sub-a").build();
            AgentSpan onResource = agent(2).resource("metering.subscription_ref", "sub-b").build();
            AgentSpan none = agent(3).build();

            assertThat(admit(Set.of(), onSpan, onResource)).containsExactly(new SpanAdmission.Candidate(SUB_B),
                    new SpanAdmission.Candidate(SUB_B));
            assertThat(admit(Set.of(SUB_A), none)).containsExactly(new SpanAdmission.Candidate(SUB_A));
        }

        @Test
        void anAgentSpanWithoutSubscriptionIsRejectedNamingTheAttributeWhenTheKeyMetersSeveral() {
            List<SpanAdmission> admissions = admit(Set.of(SUB_A, SUB_B), agent(1).build());

            assertThat(admissions.get(0)).isInstanceOfSatisfying(SpanAdmission.Rejected.class,
                    r -> assertThat(r.reason()).startsWith("metering.subscription_ref: is required"));
            assertThat(admit(Set.of(), agent(1).build()).get(0)).isInstanceOf(SpanAdmission.Rejected.class);
        }

        @Test
        void aSpanNamingASubscriptionOutsideTheKeysScopeIsRejectedWhateverItIs() {
            AgentSpan agentOfB = agent(1).attribute("metering.subscription_ref", "sub-b").build();
            AgentSpan toolOfB = tool(2, "search").resource("metering.subscription_ref", "sub-b").build();

            assertThat(admit(Set.of(SUB_A), agentOfB, toolOfB)).allSatisfy(a -> assertThat(a)
                    .isInstanceOfSatisfying(SpanAdmission.Rejected.class, r -> assertThat(r.reason())
                            .isEqualTo("metering.subscription_ref: sub-b is not a subscription this key may meter")));
        }

        @Test
        void spansThatAreNoAgentInvocationNeedNoSubscription() {
            assertThat(admit(Set.of(), tool(2, "search").build(), chat(3, 1, 1).build()))
                    .containsOnly(new SpanAdmission.Kept());
        }

        @Test
        void theAgentIsTheAgentIdElseItsNameElseTheServiceNameElseTheSpanIsRejectedNamingGenAiAgentId() {
            AgentSpan byService = agent(1).without(TraceTasks.AGENT_NAME).resource("service.name", "billing-bot").build();
            AgentSpan nameless = agent(2).without(TraceTasks.AGENT_NAME).build();

            assertThat(admit(Set.of(SUB_A), byService)).containsExactly(new SpanAdmission.Candidate(SUB_A));
            assertThat(admit(Set.of(SUB_A), nameless).get(0)).isInstanceOfSatisfying(SpanAdmission.Rejected.class,
                    r -> assertThat(r.reason()).startsWith("gen_ai.agent.id: is required"));
        }

        @Test
        void anUnusableTaskIdOrVersionIsRejectedNamingTheAttribute() {
            AgentSpan blankTask = agent(1).attribute("metering.task_id", " ").build();
            AgentSpan listVersion = agent(2).attribute(TraceTasks.AGENT_VERSION, List.of("1", "2")).build();

            List<SpanAdmission> admissions = admit(Set.of(SUB_A), blankTask, listVersion);

            assertThat(((SpanAdmission.Rejected) admissions.get(0)).reason()).startsWith("metering.task_id:");
            assertThat(((SpanAdmission.Rejected) admissions.get(1)).reason()).startsWith("gen_ai.agent.version:");
        }

        @Test
        void anAgentSpanThatEndedTooFarAheadOfTheClockOrBefore2000IsRejected() {
            AgentSpan ahead = agent(1).during(900, 1000).build();
            AgentSpan ancient = agent(2).build();
            List<SpanAdmission> admissions = TraceTasks.admit(List.of(ahead), Set.of(SUB_A), MAPPING, START);

            assertThat(((SpanAdmission.Rejected) admissions.get(0)).reason())
                    .startsWith("endTimeUnixNano: must not be more than 5 minutes in the future");
            assertThat(TraceTasks.admit(List.of(ancient), Set.of(SUB_A), MAPPING, START.plusSeconds(299))).containsExactly(
                    new SpanAdmission.Candidate(SUB_A));
            assertThat(TraceTasks.admit(List.of(agent(3).during(-100, -50).build()), Set.of(SUB_A), MAPPING,
                    START)).containsExactly(new SpanAdmission.Candidate(SUB_A));
            AgentSpan before2000 = new AgentSpan(AgentSpanBuilder.TRACE, id(4), null, null, "invoke_agent", SpanKind.INTERNAL,
                    Instant.parse("1999-12-31T00:00:00Z"), Instant.parse("1999-12-31T00:00:01Z"), null, null,
                    Map.of(TraceTasks.OPERATION, TraceTasks.INVOKE_AGENT, TraceTasks.AGENT_NAME, "a"), null, null);
            assertThat(TraceTasks.admit(List.of(before2000), Set.of(SUB_A), MAPPING, START).get(0))
                    .isInstanceOf(SpanAdmission.Rejected.class);
        }

        @Test
        void anAgentSpanNestedUnderAnAdmittedAgentSpanOfTheSameExportNeedsNoSubscriptionNorAgent() {
            AgentSpan outer = agent(1).attribute("metering.subscription_ref", "sub-a").build();
            AgentSpan step = span(2, "plan").parent(1).build();
            AgentSpan inner = agent(3).parent(2).without(TraceTasks.AGENT_NAME).build();

            assertThat(admit(Set.of(SUB_A, SUB_B), inner, step, outer)).containsExactly(
                    new SpanAdmission.Candidate(null), new SpanAdmission.Kept(), new SpanAdmission.Candidate(SUB_A));
        }

        @Test
        void anAgentSpanNestedUnderARejectedOneIsJudgedOnItsOwn() {
            AgentSpan outer = agent(1).build();
            AgentSpan inner = agent(3).parent(1).build();

            assertThat(admit(Set.of(SUB_A, SUB_B), outer, inner)).allMatch(SpanAdmission.Rejected.class::isInstance);
        }
    }

    @Nested
    class Settling {
        private Settlement settle(Instant now, AgentSpan... trace) {
            return TraceTasks.settle(trace[0].spanId(), ARRIVED, List.of(trace), now, MAPPING);
        }

        @Test
        void nothingIsDecidedBeforeTheSettleDelayHasPassed() {
            assertThat(settle(SETTLED.minusNanos(1), agent(1).build())).isEqualTo(new Settlement.Waiting(SETTLED));
            assertThat(settle(SETTLED, agent(1).build())).isInstanceOf(Settlement.Task.class);
        }

        @Test
        void anAgentSpanUnderAnotherAgentInvocationIsNestedWhereverItIs() {
            AgentSpan inner = agent(3).parent(2).build();

            assertThat(settle(SETTLED, inner, span(2, "step").parent(1).build(), agent(1).build()))
                    .isEqualTo(new Settlement.Nested(id(1)));
        }

        @Test
        void aMissingInProcessParentIsWaitedForThenTheSpanIsATaskOfItsOwn() {
            AgentSpan orphan = agent(3).parent(2).parentLocality(ParentLocality.LOCAL).build();
            Instant waited = ARRIVED.plus(MAPPING.parentWait());

            assertThat(settle(SETTLED, orphan)).isEqualTo(new Settlement.Waiting(waited));
            assertThat(settle(waited, orphan)).isInstanceOf(Settlement.Task.class);
            assertThat(settle(SETTLED, agent(3).parent(2).parentLocality(ParentLocality.UNKNOWN).build()))
                    .isEqualTo(new Settlement.Waiting(waited));
        }

        @Test
        void aMissingParentHigherUpIsWaitedForToo() {
            AgentSpan inner = agent(3).parent(2).build();
            AgentSpan step = span(2, "step").parent(1).build();

            assertThat(settle(SETTLED, inner, step)).isInstanceOf(Settlement.Waiting.class);
        }

        @Test
        void aMissingRemoteParentMayNeverComeSoTheSpanIsARoot() {
            AgentSpan called = agent(3).parent(2).parentLocality(ParentLocality.REMOTE).build();

            assertThat(settle(SETTLED, called)).isInstanceOf(Settlement.Task.class);
        }

        @Test
        void aParentCycleEndsTheWalk() {
            AgentSpan a = span(1, "a").parent(2).build();
            AgentSpan b = span(2, "b").parent(1).build();

            assertThat(settle(SETTLED, agent(3).parent(1).build(), a, b)).isInstanceOf(Settlement.Task.class);
        }

        @Test
        void anAgentSpanNoLongerKeptIsRefused() {
            assertThat(TraceTasks.settle(id(5), ARRIVED, List.of(agent(1).build()), SETTLED, MAPPING))
                    .isEqualTo(new Settlement.Refused("spanId: the agent span " + id(5) + " is not kept"));
        }

        @Test
        void aRootTaskThatLacksItsAgentIsRefusedNamingTheAttribute() {
            assertThat(settle(SETTLED, agent(1).without(TraceTasks.AGENT_NAME).build()))
                    .isEqualTo(new Settlement.Refused("gen_ai.agent.id: is required: the span names no gen_ai.agent.id "
                            + "or gen_ai.agent.name and its resource no service.name"));
        }
    }

    @Nested
    class Identity {
        @Test
        void theTaskIsTheTraceAndSpanIdUnlessTheSpanNamesOne() {
            assertThat(task(agent(1).build()).taskId().value()).isEqualTo(TRACE + ":" + id(1));
            assertThat(task(agent(1).attribute("metering.task_id", "ticket-42").build()).taskId().value())
                    .isEqualTo("ticket-42");
        }

        @Test
        void theCorrelationIdIsAFunctionOfTheAgentSpan() {
            assertThat(task(agent(1).build()).correlationId().value()).isEqualTo("otlp-" + TRACE + "-" + id(1));
        }

        @Test
        void agentVersionAndEndTimeAreKept() {
            TraceTask task = task(agent(1).attribute(TraceTasks.AGENT_ID, "agent-7")
                    .attribute(TraceTasks.AGENT_VERSION, "2.1.0").during(0, 42).build());

            assertThat(task.agentId().value()).isEqualTo("agent-7");
            assertThat(task.agentVersion()).isEqualTo("2.1.0");
            assertThat(task.occurredAt()).isEqualTo(START.plusSeconds(42));
        }
    }

    @Nested
    class Gates {
        private final ContractConfig defaults = ContractConfig.defaults();

        @Test
        void aRunThatEndedUnsetOrOkSucceededAndIsBillable() {
            assertThat(decide(defaults, agent(1).build()).billable()).isTrue();
            assertThat(decide(defaults, agent(1).status(SpanStatus.OK).build()).billable()).isTrue();
        }

        @Test
        void anErrorStatusOrAnErrorTypeFailsTerminalSuccess() {
            Decision error = decide(defaults, agent(1).status(SpanStatus.ERROR).build());
            Decision typed = decide(defaults, agent(1).attribute(TraceTasks.ERROR_TYPE, "timeout").build());

            assertThat(error.failingGate()).contains(Gate.TERMINAL_SUCCESS);
            assertThat(typed.failingGate()).contains(Gate.TERMINAL_SUCCESS);
        }

        @Test
        void outputsAreTheMeteringOutputAttributesElseTheFinalAnswer() {
            TraceTask declared = task(agent(1).attribute("metering.output.ticket", "T-1")
                    .attribute("metering.output.lines", 3L).answer("Done.").build());
            TraceTask answered = task(agent(1).answer("Refund issued.").build());

            assertThat(declared.evidence().outputs()).containsEntry("ticket", "T-1").containsEntry("lines", 3L)
                    .doesNotContainKey("result");
            assertThat(answered.evidence().outputs()).containsEntry("result", "Refund issued.");
            assertThat(decide(defaults.withRequiredOutputKeys(List.of("ticket")),
                    agent(1).attribute("metering.output.ticket", "T-1").build()).billable()).isTrue();
            assertThat(decide(defaults.withRequiredOutputKeys(List.of("ticket")), agent(1).build()).failingGate())
                    .contains(Gate.REQUIRED_OUTPUTS);
        }

        @Test
        void anEmptyFinalAnswerFailsOutputValidation() {
            assertThat(decide(defaults, agent(1).answer("").build()).failingGate()).contains(Gate.OUTPUT_VALIDATION);
        }

        @Test
        void unreadableOutputMessagesGiveNoResult() {
            TraceTask task = task(agent(1).attribute(TraceTasks.OUTPUT_MESSAGES, "[{\"role\":").build());

            assertThat(task.evidence().outputs()).doesNotContainKey("result");
        }

        @Test
        void metringOutputsCannotPassAGateReadFromItsOwnSource() {
            TraceTask task = task(agent(1).status(SpanStatus.ERROR).attribute("metering.output.terminal_success", true)
                    .attribute("metering.output.status", "completed").attribute("metering.output.approved", true)
                    .build());

            assertThat(task.evidence().outputs()).containsEntry("terminal_success", false)
                    .doesNotContainKeys("status", "approved");
        }

        @Test
        void theIntentScoreOfAnEvaluationEventMeetsTheThreshold() {
            ContractConfig intent = defaults.withRequireIntentResolution(true);

            assertThat(decide(intent, agent(1).intentScore(4.0).build()).billable()).isTrue();
            assertThat(decide(intent, agent(1).intentScore(2.0).build()).failingGate())
                    .contains(Gate.INTENT_RESOLUTION);
            assertThat(task(agent(1).intentScore(4.0).build()).evidence().scores())
                    .containsEntry(AdherenceContract.INTENT_RESOLUTION_SCORE, 4.0);
        }

        @Test
        void anIntentLabelPassesOrFailsAndAFailIsNotOverruledByACapturedAnswer() {
            ContractConfig intent = defaults.withRequireIntentResolution(true);

            assertThat(decide(intent, agent(1).intentLabel("pass").build()).billable()).isTrue();
            Decision failed = decide(intent, agent(1).intentLabel("fail").question("Refund?").answer("Sure.").build());
            assertThat(failed.failingGate()).contains(Gate.INTENT_RESOLUTION);
        }

        @Test
        void aCapturedQuestionAndAnswerResolveTheIntentAsForAReportedOutcome() {
            TraceTask task = task(agent(1).question("Where is my order?").answer("It ships today.").build());

            assertThat(task.evidence().query()).isEqualTo("Where is my order?");
            assertThat(task.evidence().response()).isEqualTo("It ships today.");
            assertThat(decide(defaults.withRequireIntentResolution(true),
                    agent(1).question("Where is my order?").answer("It ships today.").build()).billable()).isTrue();
        }

        @Test
        void approvalIsGrantedByTheApprovalAttribute() {
            ContractConfig approval = defaults.withRequireApproval(true);

            assertThat(decide(approval, agent(1).attribute("metering.approval", "granted").build()).billable()).isTrue();
            assertThat(decide(approval, agent(1).attribute("metering.approval", "pending").build()).failingGate())
                    .contains(Gate.APPROVAL);
        }

        @Test
        void twoNestedAgentsAreSeveralAgentsForReview() {
            AgentSpan root = agent(1).build();
            AgentSpan one = agent(2).parent(1).attribute(TraceTasks.AGENT_NAME, "researcher").build();
            AgentSpan two = agent(3).parent(1).attribute(TraceTasks.AGENT_NAME, "writer").build();

            assertThat(decide(defaults, root, one, two).reviewReasons()).containsExactly("multiple_agents");
            assertThat(decide(defaults, root, one).reviewReasons()).isEmpty();
        }
    }

    @Nested
    class SpanTree {
        @Test
        void theTracesAreTheAgentsSpanTreeInStartOrder() {
            AgentSpan root = agent(1).during(0, 10).build();
            AgentSpan search = tool(3, "search").parent(1).during(2, 3).attribute(TraceTasks.ERROR_TYPE, "404")
                    .status(SpanStatus.ERROR).build();
            AgentSpan llm = chat(2, 100, 20).parent(1).during(1, 2).build();
            AgentSpan elsewhere = span(9, "other root").during(0, 1).build();

            List<Map<String, Object>> traces = task(root, search, llm, elsewhere).evidence().traces();

            assertThat(traces).extracting(e -> e.get("span_id")).containsExactly(id(1), id(2), id(3));
            assertThat(traces.get(2)).containsEntry("parent_span_id", id(1)).containsEntry("tool_name", "search")
                    .containsEntry("status", "error").containsEntry("error_type", "404")
                    .containsEntry("started_at", START.plusSeconds(2).toString())
                    .containsEntry("ended_at", START.plusSeconds(3).toString());
            assertThat(traces.get(0)).containsEntry("usage_source", "inference_spans").containsEntry("name",
                    "invoke_agent support-agent");
        }

        @Test
        void aNestedAgentIsAnAgentToolOfTheTask() {
            List<Map<String, Object>> traces = task(agent(1).build(),
                    agent(2).parent(1).attribute(TraceTasks.AGENT_NAME, "researcher").build()).evidence().traces();

            assertThat(traces.get(1)).containsEntry("tool_name", AdherenceContract.AGENT_TOOL_PREFIX + "researcher");
        }

        @Test
        void lateSpansAreTheTreesSpansTheEvidenceDoesNotList() {
            AgentSpan root = agent(1).build();
            AgentSpan early = tool(2, "search").parent(1).build();
            Evidence decided = task(root, early).evidence();
            AgentSpan late = tool(3, "mail").parent(2).build();

            List<Map<String, Object>> lateSpans = TraceTasks.lateSpans(id(1), List.of(root, early, late,
                    span(8, "unrelated").build()), decided);

            assertThat(lateSpans).extracting(e -> e.get("span_id")).containsExactly(id(3));
            assertThat(lateSpans.get(0)).containsEntry("tool_name", "mail").doesNotContainKey("usage_source");
        }

        @Test
        void unpairedSurrogatesInSpanTextBecomeReplacementCharacters() {
            TraceTask task = task(agent(1).attribute("metering.output.note", "a\uD800b").build());

            assertThat(task.evidence().outputs()).containsEntry("note", "a\uFFFDb");
        }

        @Test
        void aNonFiniteOutputIsKeptAsItsText() {
            assertThat(task(agent(1).attribute("metering.output.ratio", Double.NaN).build()).evidence().outputs())
                    .containsEntry("ratio", "NaN");
        }
    }

    @Nested
    class Usage {
        @Test
        void tokensOfTheAgentSpanWinAndInferenceSpansAreThenNotAdded() {
            TaskUsage usage = task(agent(1).attribute(TraceTasks.INPUT_TOKENS, 1000L)
                    .attribute(TraceTasks.OUTPUT_TOKENS, 200L).build(), chat(2, 700, 150).parent(1).build()).usage();

            assertThat(usage).isEqualTo(new TaskUsage(1000, 200, 2000, 0, UsageSource.AGENT_SPAN, false));
        }

        @Test
        void withoutThemTheInferenceSpansOfTheWholeTreeAreSummed() {
            AgentSpan root = agent(1).build();
            AgentSpan inner = agent(2).parent(1).build();
            TaskUsage usage = task(root, chat(3, 100, 10).parent(1).build(), inner, chat(4, 50, 5).parent(2).build(),
                    tool(5, "search").parent(2).build(), tool(6, "mail").parent(1).build()).usage();

            assertThat(usage).isEqualTo(new TaskUsage(150, 15, 2000, 2, UsageSource.INFERENCE_SPANS, false));
        }

        @Test
        void theOlderAttributeNamesCount() {
            TaskUsage usage = task(agent(1).attribute(TraceTasks.PROMPT_TOKENS, 30L)
                    .attribute(TraceTasks.COMPLETION_TOKENS, 4L).build()).usage();

            assertThat(usage.tokensIn()).isEqualTo(30);
            assertThat(usage.tokensOut()).isEqualTo(4);
        }

        @Test
        void noTokensAnywhereIsSaidSo() {
            assertThat(task(agent(1).lasting(Duration.ofMillis(1234)).build()).usage())
                    .isEqualTo(new TaskUsage(0, 0, 1234, 0, UsageSource.NONE, false));
        }

        @Test
        void aSumBeyondTheReportableMaximumStopsThereAndTheEvidenceSaysSo() {
            long big = UsageRecord.MAX_COUNT - 1;
            TraceTask task = task(agent(1).build(), chat(2, big, 1).parent(1).build(), chat(3, big, 1).parent(1).build(),
                    chat(4, Long.MAX_VALUE, 1).parent(1).build());

            assertThat(task.usage().tokensIn()).isEqualTo(UsageRecord.MAX_COUNT);
            assertThat(task.usage().tokensOut()).isEqualTo(3);
            assertThat(task.usage().capped()).isTrue();
            assertThat(task.evidence().traces().get(0)).containsEntry("usage_capped", true);
        }

        @Test
        void aNegativeCountIsNoCount() {
            assertThat(task(agent(1).attribute(TraceTasks.INPUT_TOKENS, -5L).build()).usage().source())
                    .isEqualTo(UsageSource.NONE);
        }
    }
}
