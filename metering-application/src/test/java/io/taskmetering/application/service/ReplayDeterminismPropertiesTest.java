package io.taskmetering.application.service;

import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.ActivateContractCommand;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.ReplayQuery;
import io.taskmetering.application.port.in.ReplayResult;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.testdata.EvidenceBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Determinism as a property of the system: whatever the contracts, their activations and the evidence, every
 * recorded decision replays under its own version exactly (gates, reason codes, review reasons, digest), and a replay
 * under any version flips exactly the decisions that version's contract decides otherwise.
 */
class ReplayDeterminismPropertiesTest {
    private static final Instant HOUR = Instant.parse("2025-06-01T14:00:00Z");
    private static final List<String> SUBSCRIPTIONS = List.of("sub-a", "sub-b", "sub-c");

    /** A generated version, activated from a minute of hour 14, globally (null) or for one subscription. */
    record Activated(ContractConfig settings, int minute, String subscription) {
    }

    /** A generated outcome: its subscription, the minute of hour 14 it occurred in, and its evidence. */
    record Reported(String subscription, int minute, Evidence evidence) {
    }

    @Provide
    Arbitrary<List<Activated>> activations() {
        Arbitrary<ContractConfig> settings = Combinators.combine(
                Arbitraries.of(List.<String>of(), List.of("summary"), List.of("summary", "answer")),
                Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(0.0, 2.5, 3.0, 4.5), Arbitraries.of(true, false))
                .as((keys, approval, intent, threshold, hold) -> new ContractConfig("generated", keys, approval, intent,
                        threshold, hold));
        Arbitrary<Activated> one = Combinators.combine(settings, Arbitraries.integers().between(0, 59),
                        Arbitraries.of("sub-a", "sub-b").injectNull(0.5))
                .as(Activated::new);
        return one.list().ofMinSize(0).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Reported>> outcomes() {
        Arbitrary<Evidence> evidence = Combinators.combine(
                Arbitraries.of("completed", "success", "FAILED", "running"),
                Arbitraries.of("Summary generated", "", "  "),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.4),
                Arbitraries.of("done", "").injectNull(0.5),
                Arbitraries.doubles().between(0, 5).ofScale(2).injectNull(0.4),
                Arbitraries.of("answered", "").injectNull(0.3),
                Arbitraries.of(Boolean.TRUE).injectNull(0.8),
                Arbitraries.of(List.of("a"), List.of("a", "b"), List.of("a", "a")).injectNull(0.7))
                .as((status, result, approved, summary, score, response, handoff, agents) -> {
                    EvidenceBuilder b = EvidenceBuilder.anEvidence().withOutput("status", status)
                            .withOutput("result", result).withResponse(response);
                    if (approved != null) {
                        b.withOutput("approved", approved);
                    }
                    if (summary != null) {
                        b.withOutput("summary", summary);
                    }
                    if (score != null) {
                        b.withScore("intent_resolution", score);
                    }
                    if (handoff != null) {
                        b.withOutput("human_handoff", handoff);
                    }
                    if (agents != null) {
                        b.withOutput("contributing_agents", agents);
                        b.withTraceEntry(Map.of("tool_name", "agent:" + agents.get(agents.size() - 1)));
                    }
                    return b.build();
                });
        Arbitrary<Reported> one = Combinators.combine(Arbitraries.of(SUBSCRIPTIONS),
                Arbitraries.integers().between(0, 59), evidence).as(Reported::new);
        return one.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 150)
    void everyDecisionReplaysExactlyUnderItsOwnVersion(@ForAll("activations") List<Activated> activations,
                                                       @ForAll("outcomes") List<Reported> reported) {
        TestMetering metering = new TestMetering().at("2025-06-01T14:59:00Z");
        for (int i = 0; i < activations.size(); i++) {
            Activated a = activations.get(i);
            String version = "generated-" + i;
            metering.useCases().createContractVersion().create(
                    new CreateContractVersionCommand(a.settings().withVersion(version)));
            metering.useCases().activateContract().activate(new ActivateContractCommand(version,
                    HOUR.plusSeconds(60L * a.minute() + i), a.subscription() == null ? null : new SubscriptionRef(a.subscription())));
        }
        for (int i = 0; i < reported.size(); i++) {
            Reported r = reported.get(i);
            metering.record(aReport().forSubscription(r.subscription()).forTask("t-" + i).withCorrelationId("c-" + i)
                    .occurredAt(HOUR.plusSeconds(60L * r.minute())).withEvidence(r.evidence()));
        }

        ReplayResult.Replayed asRecorded = replay(metering, ReplayQuery.AS_RECORDED);

        assertThat(asRecorded.replayed()).isEqualTo(reported.size());
        assertThat(asRecorded.mismatches()).isEmpty();
        assertThat(asRecorded.mismatchCount()).isZero();
        assertThat(asRecorded.unchanged()).isEqualTo(reported.size());
        assertThat(asRecorded.flips()).isEmpty();

        for (int i = 0; i < activations.size(); i++) {
            String version = "generated-" + i;
            AdherenceContract contract = new AdherenceContract(activations.get(i).settings().withVersion(version));
            List<StoredDecision> decisions = metering.store.decisions();
            long toBillable = decisions.stream().filter(d -> !d.decision().billable()
                    && contract.evaluate(d.evidence()).billable()).count();
            long toNotBillable = decisions.stream().filter(d -> d.decision().billable()
                    && !contract.evaluate(d.evidence()).billable()).count();

            ReplayResult.Replayed under = replay(metering, version);

            assertThat(under.flippedToBillable()).isEqualTo(toBillable);
            assertThat(under.flippedToNotBillable()).isEqualTo(toNotBillable);
            assertThat(under.unchanged()).isEqualTo(reported.size() - toBillable - toNotBillable);
        }
    }

    private static ReplayResult.Replayed replay(TestMetering metering, String version) {
        return (ReplayResult.Replayed) metering.useCases().replays().replay(new ReplayQuery(version, HOUR,
                HOUR.plusSeconds(3600), Set.of(), 1_000, null));
    }
}
