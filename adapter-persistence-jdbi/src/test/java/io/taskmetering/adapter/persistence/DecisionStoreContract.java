package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.model.DecisionWindowQuery;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.NewDecision;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.TraceSpan;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.decision;
import static io.taskmetering.adapter.persistence.Fixtures.notBillable;
import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SaveDecisionsPort + LoadDecisionsPort. */
abstract class DecisionStoreContract extends StoreContract {

    @Test
    void insertsOncePerCorrelationIdAndReportsDuplicatesInInputOrder() {
        var first = ports.saveDecisions().insertDecisions(notBillable(List.of(decision("c-2", "t-2"), decision("c-1", "t-1"))));
        assertThat(first).containsExactly(InsertResult.INSERTED, InsertResult.INSERTED);

        var again = ports.saveDecisions().insertDecisions(notBillable(List.of(decision("c-3", "t-3"), decision("c-1", "t-9"),
                decision("c-3", "t-3"))));
        assertThat(again).containsExactly(InsertResult.INSERTED, InsertResult.ALREADY_PRESENT, InsertResult.ALREADY_PRESENT);
        assertThat(rows("decisions")).isEqualTo(3);
        // the first write wins: c-1 still names task t-1
        assertThat(ports.loadDecisions().findDecision(cid("c-1")).orElseThrow().taskId().value()).isEqualTo("t-1");
    }

    @Test
    void roundTripsEvidenceDecisionAndMetadataExactly() {
        Evidence evidence = anEvidence()
                .withOutput("nested", Map.of("list", List.of(1L, "two", true), "pi", new java.math.BigDecimal("3.14159")))
                .withOutput("nothing", null)
                .withScore("intent_resolution", 4.5)
                .withTrace(new TraceSpan("s1", null, "search", "ok", Fixtures.T0, Fixtures.T0.plusMillis(1500)))
                .withQuery("ünïcødé \"quoted\" \\ query")
                .build();
        StoredDecision stored = decision("c-json", "t-json", evidence);
        ports.saveDecisions().insertDecisions(notBillable(List.of(stored)));

        StoredDecision read = ports.loadDecisions().findDecision(cid("c-json")).orElseThrow();
        assertThat(read).isEqualTo(stored);
        assertThat(read.evidence()).isEqualTo(evidence);
        assertThat(read.decision().reasonCodes()).isEqualTo(stored.decision().reasonCodes());
        assertThat(ports.loadDecisions().findDecision(cid("absent"))).isEmpty();
    }

    /** Numbers and text the API accepts, including those whose RFC 8785 form differs from what was received. */
    @Test
    void readsEvidenceBackExactlyAsReceived() {
        Evidence evidence = anEvidence()
                .withOutput("ratio", 0.1)
                .withOutput("huge", java.math.BigInteger.TEN.pow(30))
                .withOutput("long", Long.MAX_VALUE)
                .withOutput("precise", new java.math.BigDecimal("0.10000000000000000000000001"))
                .withOutput("tiny", new java.math.BigDecimal("1E-999"))
                .withOutput("text", "line\nbreak \"quoted\" é 😀 \u0000 \u2028")
                .withScore("intent_resolution", 4.0)
                .withScore("smallest", Double.MIN_VALUE)
                .withScore("large", 1.2345678901234567E18)
                .withTrace(new TraceSpan("s1", null, null, null, java.time.Instant.ofEpochSecond(1, 123_456_000), null))
                .build();
        ports.saveDecisions().insertDecisions(notBillable(List.of(decision("c-odd", "t-odd", evidence))));

        assertThat(ports.loadDecisions().findDecision(cid("c-odd")).orElseThrow().evidence()).isEqualTo(evidence);
    }

    @Test
    void storesEachDecisionWithItsOutcomeCorrectsTheUnexpectedAndFindsThemInBulk() {
        ports.saveDecisions().insertDecisions(List.of(
                new NewDecision(decision("c-1", "t-1"), new OutcomeRecord.Charged(cid("c-1"), HOUR, true)),
                new NewDecision(decision("c-2", "t-2"), new OutcomeRecord.Charged(cid("c-2"), HOUR, false)),
                NewDecision.notBillable(decision("c-3", "t-3"))));
        ports.saveDecisions().insertDecisions(List.of(
                new NewDecision(decision("c-4", "t-4"), new OutcomeRecord.Charged(cid("c-4"), HOUR, false))));
        // c-2 turned out a duplicate of c-1, c-4 was held in the next hour
        ports.saveDecisions().updateOutcomes(List.of(new OutcomeRecord.Duplicate(cid("c-2"), cid("c-1")),
                new OutcomeRecord.HeldForReview(cid("c-4"), HOUR.next(), false)));
        // a replay of c-1 expecting something else changes nothing
        assertThat(ports.saveDecisions().insertDecisions(List.of(NewDecision.notBillable(decision("c-1", "t-1")))))
                .containsExactly(InsertResult.ALREADY_PRESENT);

        List<OutcomeRecord> stored = List.of(
                new OutcomeRecord.Charged(cid("c-1"), HOUR, true),
                new OutcomeRecord.Duplicate(cid("c-2"), cid("c-1")),
                new OutcomeRecord.NotBillable(cid("c-3")),
                new OutcomeRecord.HeldForReview(cid("c-4"), HOUR.next(), false));
        var outcomes = ports.loadDecisions().findOutcomes(List.of(cid("c-1"), cid("c-2"), cid("c-3"), cid("c-4"),
                cid("nope")));
        assertThat(outcomes).hasSize(4);
        stored.forEach(o -> assertThat(outcomes.get(o.correlationId())).as("every case round-trips").isEqualTo(o));
        assertThatThrownBy(() -> ports.saveDecisions().updateOutcomes(List.of(new OutcomeRecord.NotBillable(cid("nope")))))
                .as("an outcome needs its decision").isInstanceOf(IllegalStateException.class);

        var decisions = ports.loadDecisions().findDecisions(List.of(cid("c-3"), cid("c-1"), cid("c-1"), cid("nope")));
        assertThat(decisions).containsOnlyKeys(cid("c-1"), cid("c-3"));
    }

    @Test
    void bulkLookupsSpanSeveralInListChunks() {
        List<StoredDecision> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            many.add(decision("bulk-" + i, "task-" + i));
        }
        assertThat(ports.saveDecisions().insertDecisions(notBillable(many))).containsOnly(InsertResult.INSERTED);
        var found = ports.loadDecisions().findDecisions(many.stream().map(StoredDecision::correlationId).toList());
        assertThat(found).hasSize(1_200);
    }

    @Test
    void aLargeInsertReportsEveryRowInInputOrderAcrossStatementChunks() {
        // 1,000 rows are several multi-row statements on PostgreSQL; every third id exists already, and the list is
        // not in key order, so the answers must be mapped back to the input positions.
        List<StoredDecision> earlier = new java.util.ArrayList<>();
        List<StoredDecision> mixed = new java.util.ArrayList<>();
        for (int i = 999; i >= 0; i--) {
            StoredDecision d = decision(String.format("mix-%04d", i), "task-" + i);
            if (i % 3 == 0) {
                earlier.add(d);
            }
            mixed.add(d);
        }
        ports.saveDecisions().insertDecisions(notBillable(earlier));

        var results = ports.saveDecisions().insertDecisions(notBillable(mixed));

        for (int k = 0; k < mixed.size(); k++) {
            int i = 999 - k;
            assertThat(results.get(k)).as("row %d", i)
                    .isEqualTo(i % 3 == 0 ? InsertResult.ALREADY_PRESENT : InsertResult.INSERTED);
        }
        assertThat(rows("decisions")).isEqualTo(1_000);
    }

    private static StoredDecision occurred(String correlationId, SubscriptionRef sub, DecisionKind kind, Instant at) {
        StoredDecision d = decision(correlationId, "task-" + correlationId);
        return new StoredDecision(d.correlationId(), d.taskId(), d.agentId(), sub, d.dimension(), d.planId(), kind, at,
                at.plusSeconds(1), d.evidence(), d.decision(), d.metadata(), d.evidenceCanonicalization());
    }

    @Test
    void readsAWindowOfMeteredDecisionsByOccurredAtInChunks() {
        Instant t = HOUR.start();
        ports.saveDecisions().insertDecisions(notBillable(List.of(
                occurred("c-b", SUB, DecisionKind.METERED, t.plusSeconds(10)),
                occurred("c-a", SUB2, DecisionKind.METERED, t.plusSeconds(10)),
                occurred("c-c", SUB, DecisionKind.METERED, t),
                occurred("c-e", SUB, DecisionKind.EVALUATION_ONLY, t.plusSeconds(20)),
                occurred("c-f", SUB, DecisionKind.METERED, t.plusSeconds(3600)),
                occurred("c-g", SUB, DecisionKind.METERED, t.minusNanos(1000)),
                occurred("c-d", SUB, DecisionKind.METERED, t.plusSeconds(3599)))));
        DecisionWindowQuery first = new DecisionWindowQuery(t, t.plusSeconds(3600), Set.of(), null, null, 2);

        List<StoredDecision> one = ports.loadDecisions().findDecisionsOccurred(first);
        List<StoredDecision> two = ports.loadDecisions().findDecisionsOccurred(first.after(one.get(1)));
        List<StoredDecision> three = ports.loadDecisions().findDecisionsOccurred(first.after(two.get(1)));

        assertThat(one).extracting(d -> d.correlationId().value()).containsExactly("c-c", "c-a");
        assertThat(two).extracting(d -> d.correlationId().value()).containsExactly("c-b", "c-d");
        assertThat(three).isEmpty();
        assertThat(one.get(1)).isEqualTo(occurred("c-a", SUB2, DecisionKind.METERED, t.plusSeconds(10)));
        assertThat(ports.loadDecisions().findDecisionsOccurred(
                new DecisionWindowQuery(t, t.plusSeconds(3600), Set.of(SUB2), null, null, 10)))
                .extracting(d -> d.correlationId().value()).containsExactly("c-a");
    }
}
