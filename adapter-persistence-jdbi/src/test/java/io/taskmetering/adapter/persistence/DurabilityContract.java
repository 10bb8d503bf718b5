package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.EvidenceCanonicalization;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.domain.billing.CapPeriod;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.clockAt;
import static io.taskmetering.adapter.persistence.Fixtures.decision;
import static io.taskmetering.adapter.persistence.Fixtures.notBillable;
import static io.taskmetering.adapter.persistence.Fixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrations from empty and on restart; crash safety (a process killed mid-transaction leaves nothing partial). */
abstract class DurabilityContract extends ModuleTestBase {
    private static final List<String> TABLES = List.of("decisions", "charges", "ledger_entries",
            "hour_buckets", "cap_counters", "usage_events", "submission_attempts", "anomalies", "usage_records");

    @Test
    void migrationsApplyFromEmptyAndAreIdempotentOnRestart() {
        assertThat(count("SELECT COUNT(*) FROM flyway_schema_history WHERE success = TRUE AND version = '1'")).isEqualTo(1);
        for (String table : TABLES) {
            assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
        }
        long history = count("SELECT COUNT(*) FROM flyway_schema_history");
        Services.single(module, clockAt(T0.plusSeconds(1800))).record(outcome(SUB, "task-1", "c-1", T0));
        module.close();
        for (int restart = 0; restart < 2; restart++) {
            module = PersistenceModule.start(database.url(), database.user(), database.password(), 2, clock());
            assertThat(module.ready()).isTrue();
            assertThat(count("SELECT COUNT(*) FROM flyway_schema_history")).as("nothing re-applied").isEqualTo(history);
            assertThat(count("SELECT COUNT(*) FROM charges")).isEqualTo(1);
            module.close();
        }
        module = PersistenceModule.start(database.url(), database.user(), database.password(), 2, clock());
    }

    @Test
    void aFailingTransactionLeavesNothingBehind() {
        var service = Services.batch(module, clockAt(T0.plusSeconds(1800)));
        assertThatThrownBy(() -> module.unitOfWork().run(() -> {
            service.recordBatch(new RecordOutcomeBatchCommand(List.of(outcome(SUB, "task-x", "c-x", T0))));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        for (String table : TABLES) {
            assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
        }
    }

    @Test
    void aNestedUnitOfWorkJoinsTheOuterTransaction() {
        assertThatThrownBy(() -> module.unitOfWork().run(() -> {
            module.unitOfWork().run(() -> module.saveDecisions().insertDecisions(notBillable(List.of(Fixtures.decision("c-1", "t-1")))));
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");
        assertThat(count("SELECT COUNT(*) FROM decisions")).isZero();
    }

    @Test
    void aTransientFailureIsRetriedFromTheStartAndOthersAreNot() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        module.unitOfWork().run(() -> {
            module.saveDecisions().insertDecisions(notBillable(List.of(Fixtures.decision("c-1", "t-1"))));
            if (attempts.incrementAndGet() == 1) {
                throw new PersistenceException("simulated deadlock", "40P01", true, null);
            }
        });
        assertThat(attempts).hasValue(2);
        assertThat(count("SELECT COUNT(*) FROM decisions")).isEqualTo(1);

        attempts.set(0);
        assertThatThrownBy(() -> module.unitOfWork().run(() -> {
            attempts.incrementAndGet();
            throw new PersistenceException("simulated constraint failure", "23514", false, null);
        })).isInstanceOf(PersistenceException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void readinessFollowsTheDatabase() {
        assertThat(module.ready()).isTrue();
        module.close();
        assertThat(module.ready()).isFalse();
        module = PersistenceModule.start(database.url(), database.user(), database.password(), 2, clock());
    }

    @Test
    void aProcessKilledMidTransactionLeavesNoPartialChargeCounterOrLedgerEntry() throws Exception {
        module.close();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashWorker.class.getName(),
                database.url(), database.user(), database.password()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the worker died by halt mid-transaction").isEqualTo(CrashWorker.EXIT_CODE);

        module = PersistenceModule.start(database.url(), database.user(), database.password(), 2, clock());
        long committed = CrashWorker.COMMITTED;
        assertThat(count("SELECT COUNT(*) FROM decisions")).isEqualTo(committed);
        assertThat(count("SELECT COUNT(*) FROM decisions WHERE outcome_state = 'QUALIFIED'")).isEqualTo(committed);
        assertThat(count("SELECT COUNT(*) FROM charges")).isEqualTo(committed);
        assertThat(count("SELECT COUNT(*) FROM ledger_entries")).isEqualTo(committed);
        assertThat(count("SELECT COUNT(*) FROM usage_records")).isEqualTo(committed);
        assertThat(count("SELECT COUNT(*) FROM charges WHERE task_id LIKE 'crashed-%'")).isZero();
        assertThat(count("SELECT SUM(quantity) FROM hour_buckets")).isEqualTo(committed);
        var counters = module.unitOfWork().inTransaction(() -> module.capCounters().lockCapCounters(
                new TreeSet<>(List.of(CapPeriod.hourOf(SUB, HOUR), CapPeriod.dayOf(SUB, HOUR)))));
        assertThat(counters.values()).containsOnly(committed);
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
                upgraded.saveDecisions().insertDecisions(notBillable(List.of(decision("c-now", "t-now"))));

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

    /**
     * V11 folds decision_outcomes into the decision's row: a database written by the schema before it (V9) keeps every
     * outcome, of every kind, its decisions (stored in the full JSON form of that time) read back equal, and it takes
     * new decisions after the upgrade.
     */
    @Test
    void anUpgradeKeepsTheOutcomeOfEveryStoredDecisionInItsRow() throws Exception {
        TestDb.Fresh older = db().fresh();
        // the open connection keeps an in-memory H2 database alive between the steps
        try (Connection connection = DriverManager.getConnection(older.url(), older.user(), older.password())) {
            Flyway.configure().dataSource(older.url(), older.user(), older.password())
                    .locations("classpath:db/migration").target("9").load().migrate();
            long hour = Micros.of(HOUR.start());
            List<OutcomeRecord> before = List.of(
                    new OutcomeRecord.Charged(cid("c-charged"), HOUR, false),
                    new OutcomeRecord.HeldForReview(cid("c-held"), HOUR.next(), true),
                    new OutcomeRecord.Duplicate(cid("c-duplicate"), cid("c-charged")),
                    new OutcomeRecord.NotBillable(cid("c-failed")));
            for (OutcomeRecord outcome : before) {
                StoredDecision d = decision(outcome.correlationId().value(), "t-" + outcome.correlationId().value());
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO decisions ("
                        + JdbiDecisionStore.COLUMNS + ") VALUES (?, ?, 'agent-1', 'sub-1', 'task_completed', 'plan-1', "
                        + "'METERED', 0, 0, TRUE, 'v1', ?, ?, ?, '{}', 'RFC8785')")) {
                    insert.setString(1, d.correlationId().value());
                    insert.setString(2, d.taskId().value());
                    insert.setString(3, d.decision().evidenceSha256());
                    insert.setString(4, JsonColumns.evidence(d.evidence()));
                    insert.setString(5, fullDecisionJson(d.decision()));
                    insert.executeUpdate();
                }
            }
            connection.createStatement().executeUpdate("INSERT INTO decision_outcomes (correlation_id, charge_state, "
                    + "duplicate, charge_correlation_id, late, billing_hour_us) VALUES "
                    + "('c-charged', 'QUALIFIED', FALSE, 'c-charged', FALSE, " + hour + "), "
                    + "('c-held', 'PENDING_REVIEW', FALSE, 'c-held', TRUE, " + (hour + Micros.HOUR) + "), "
                    + "('c-duplicate', NULL, TRUE, 'c-charged', FALSE, NULL), "
                    + "('c-failed', NULL, FALSE, NULL, FALSE, NULL)");

            try (PersistenceModule upgraded = PersistenceModule.start(older.url(), older.user(), older.password(), 2)) {
                var outcomes = upgraded.loadDecisions().findOutcomes(before.stream().map(OutcomeRecord::correlationId)
                        .toList());
                assertThat(outcomes).hasSize(before.size());
                before.forEach(o -> assertThat(outcomes.get(o.correlationId())).as("kept in the row").isEqualTo(o));
                for (OutcomeRecord outcome : before) {
                    String id = outcome.correlationId().value();
                    StoredDecision read = upgraded.loadDecisions().findDecision(outcome.correlationId()).orElseThrow();
                    assertThat(read.decision()).isEqualTo(decision(id, "t-" + id).decision());
                    assertThat(read.evidence()).isEqualTo(decision(id, "t-" + id).evidence());
                }
                try (var tables = connection.getMetaData().getTables(null, null, "decision_outcomes", null)) {
                    assertThat(tables.next()).as("decision_outcomes is gone").isFalse();
                }
                upgraded.saveDecisions().insertDecisions(notBillable(List.of(decision("c-now", "t-now"))));
                assertThat(upgraded.loadDecisions().findOutcomes(List.of(cid("c-now"))))
                        .containsValue(new OutcomeRecord.NotBillable(cid("c-now")));
            }
        } finally {
            older.drop().run();
        }
    }

    /** A decision as written before the compact form: every derived field, each gate spelled out. */
    private static String fullDecisionJson(io.taskmetering.domain.evaluation.Decision d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("intent_handled", d.intentHandled());
        json.put("adhered", d.adhered());
        json.put("billable_units", d.billableUnits());
        json.put("gates", d.gates().stream().map(g -> Map.of("gate", g.gate().code(), "outcome", g.outcome().name(),
                "reason_code", g.reasonCode())).toList());
        json.put("contract_version", d.contractVersion());
        json.put("evidence_sha256", d.evidenceSha256());
        json.put("review_reasons", d.reviewReasons());
        return JsonColumns.write(json);
    }
}
