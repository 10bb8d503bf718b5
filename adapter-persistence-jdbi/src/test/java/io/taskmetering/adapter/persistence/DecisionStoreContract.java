package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.EvidenceCanonicalization;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.TraceSpan;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.decision;
import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;

/** SaveDecisionsPort + LoadDecisionsPort. */
abstract class DecisionStoreContract extends ModuleTestBase {

    @Test
    void insertsOncePerCorrelationIdAndReportsDuplicatesInInputOrder() {
        var first = module.saveDecisions().insertDecisions(List.of(decision("c-2", "t-2"), decision("c-1", "t-1")));
        assertThat(first).containsExactly(InsertResult.INSERTED, InsertResult.INSERTED);

        var again = module.saveDecisions().insertDecisions(List.of(decision("c-3", "t-3"), decision("c-1", "t-9"),
                decision("c-3", "t-3")));
        assertThat(again).containsExactly(InsertResult.INSERTED, InsertResult.ALREADY_PRESENT, InsertResult.ALREADY_PRESENT);
        assertThat(count("SELECT COUNT(*) FROM decisions")).isEqualTo(3);
        // the first write wins: c-1 still names task t-1
        assertThat(module.loadDecisions().findDecision(cid("c-1")).orElseThrow().taskId().value()).isEqualTo("t-1");
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
        module.saveDecisions().insertDecisions(List.of(stored));

        StoredDecision read = module.loadDecisions().findDecision(cid("c-json")).orElseThrow();
        assertThat(read).isEqualTo(stored);
        assertThat(read.evidence()).isEqualTo(evidence);
        assertThat(read.decision().reasonCodes()).isEqualTo(stored.decision().reasonCodes());
        assertThat(module.loadDecisions().findDecision(cid("absent"))).isEmpty();
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
        module.saveDecisions().insertDecisions(List.of(decision("c-odd", "t-odd", evidence)));

        assertThat(module.loadDecisions().findDecision(cid("c-odd")).orElseThrow().evidence()).isEqualTo(evidence);
    }

    @Test
    void newDecisionsAreRfc8785AndDecisionsStoredBeforeTheUpgradeAreLegacy() throws Exception {
        TestDb.Fresh older = db().fresh();
        // the open connection keeps an in-memory H2 database alive between the steps
        try (Connection connection = DriverManager.getConnection(older.url(), older.user(), older.password())) {
            Flyway.configure().dataSource(older.url(), older.user(), older.password())
                    .locations("classpath:db/migration").target("3").load().migrate();
            StoredDecision before = decision("c-before", "t-before");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO decisions ("
                    + JdbiDecisionStore.COLUMNS.replace(", evidence_canonicalization", "") + ") VALUES ('c-before', "
                    + "'t-before', 'agent-1', 'sub-1', 'task_completed', 'plan-1', 'METERED', 0, 0, TRUE, 'v1', ?, ?, ?, '{}')")) {
                insert.setString(1, before.decision().evidenceSha256());
                insert.setString(2, JsonColumns.evidence(before.evidence()));
                insert.setString(3, JsonColumns.decision(before.decision()));
                insert.executeUpdate();
            }

            try (PersistenceModule upgraded = PersistenceModule.start(older.url(), older.user(), older.password(), 2)) {
                upgraded.saveDecisions().insertDecisions(List.of(decision("c-now", "t-now")));

                StoredDecision legacy = upgraded.loadDecisions().findDecision(cid("c-before")).orElseThrow();
                assertThat(legacy.evidenceCanonicalization()).isEqualTo(EvidenceCanonicalization.LEGACY);
                assertThat(legacy.evidence()).isEqualTo(before.evidence());
                assertThat(legacy.decision().evidenceSha256()).isEqualTo(before.decision().evidenceSha256());
                assertThat(upgraded.loadDecisions().findDecision(cid("c-now")).orElseThrow().evidenceCanonicalization())
                        .isEqualTo(EvidenceCanonicalization.RFC8785);
            }
        } finally {
            older.drop().run();
        }
    }

    @Test
    void storesOutcomesAndFindsThemInBulk() {
        module.saveDecisions().insertDecisions(List.of(decision("c-1", "t-1"), decision("c-2", "t-2"),
                decision("c-3", "t-3")));
        module.saveDecisions().saveOutcomes(List.of(
                new OutcomeRecord(cid("c-1"), ChargeState.QUALIFIED, false, cid("c-1"), true, HOUR),
                new OutcomeRecord(cid("c-2"), null, true, cid("c-1"), false, null),
                OutcomeRecord.notBillable(cid("c-3"))));

        var outcomes = module.loadDecisions().findOutcomes(List.of(cid("c-1"), cid("c-2"), cid("c-3"), cid("nope")));
        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(cid("c-1"))).isEqualTo(new OutcomeRecord(cid("c-1"), ChargeState.QUALIFIED, false,
                cid("c-1"), true, HOUR));
        assertThat(outcomes.get(cid("c-2")).duplicate()).isTrue();
        assertThat(outcomes.get(cid("c-3"))).isEqualTo(OutcomeRecord.notBillable(cid("c-3")));

        var decisions = module.loadDecisions().findDecisions(List.of(cid("c-3"), cid("c-1"), cid("c-1"), cid("nope")));
        assertThat(decisions).containsOnlyKeys(cid("c-1"), cid("c-3"));
    }

    @Test
    void bulkLookupsSpanSeveralInListChunks() {
        List<StoredDecision> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            many.add(decision("bulk-" + i, "task-" + i));
        }
        assertThat(module.saveDecisions().insertDecisions(many)).containsOnly(InsertResult.INSERTED);
        var found = module.loadDecisions().findDecisions(many.stream().map(StoredDecision::correlationId).toList());
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
        module.saveDecisions().insertDecisions(earlier);

        var results = module.saveDecisions().insertDecisions(mixed);

        for (int k = 0; k < mixed.size(); k++) {
            int i = 999 - k;
            assertThat(results.get(k)).as("row %d", i)
                    .isEqualTo(i % 3 == 0 ? InsertResult.ALREADY_PRESENT : InsertResult.INSERTED);
        }
        assertThat(count("SELECT COUNT(*) FROM decisions")).isEqualTo(1_000);
    }
}
