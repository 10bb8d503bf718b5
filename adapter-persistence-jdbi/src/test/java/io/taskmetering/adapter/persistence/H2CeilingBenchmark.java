package io.taskmetering.adapter.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Locale;

/**
 * How fast H2 itself can go on this machine, without the service: the service's own schema (migrated by
 * {@link PersistenceModule}, every index) and, per outcome of the bench's mix, the same rows the service writes — a
 * decision with its evidence and decision JSON and its outcome row, and for 7 in 10 outcomes a charge and a ledger
 * entry — in plain JDBC batches of 500 with one durable commit per batch ({@code WRITE_DELAY=0}), one writer, and no
 * evaluation, no JSON writing, no counters, no reads. Whatever the service does on top of this costs more, so this is
 * an upper bound for the H2 targets. Argument: outcomes per round (two rounds; the first warms up).
 */
public final class H2CeilingBenchmark {
    private static final String EVIDENCE = "{\"outputs\":{\"result\":\"Summary generated\",\"status\":\"completed\"},"
            + "\"query\":\"Summarize the report\",\"response\":\"Revenue grew 12%\",\"scores\":{},\"traces\":[]}";
    private static final String DECISION = "{\"adhered\":true,\"billable_units\":1,\"contract_version\":\"v1\","
            + "\"evidence_sha256\":\"3f2a9c0d1e4b5a6978877665544332211ffeeddccbbaa9988776655443322110\",\"gates\":["
            + "{\"gate\":\"intent_resolution\",\"outcome\":\"PASS\",\"reason_code\":\"INTENT_RESOLVED\"},"
            + "{\"gate\":\"terminal_success\",\"outcome\":\"PASS\",\"reason_code\":\"TERMINAL_SUCCESS\"},"
            + "{\"gate\":\"required_outputs\",\"outcome\":\"PASS\",\"reason_code\":\"OUTPUTS_PRESENT\"},"
            + "{\"gate\":\"output_validation\",\"outcome\":\"PASS\",\"reason_code\":\"OUTPUTS_VALID\"},"
            + "{\"gate\":\"approval\",\"outcome\":\"SKIP\",\"reason_code\":\"APPROVAL_NOT_REQUIRED\"}],"
            + "\"intent_handled\":true,\"review_reasons\":[]}";
    private static final int BATCH = 500;

    private H2CeilingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        TestDb.Fresh db = TestDb.h2File("ceiling");
        try (PersistenceModule module = PersistenceModule.start(db.url(), db.user(), db.password(), 2);
             Connection c = module.jdbi().open().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement decisions = c.prepareStatement("INSERT INTO decisions (" + JdbiDecisionStore.COLUMNS
                    + ") VALUES (?, ?, 'agent-bench', ?, 'task_completed', 'plan-basic', 'METERED', ?, ?, TRUE, 'v1', "
                    + "'3f2a9c0d1e4b5a6978877665544332211ffeeddccbbaa9988776655443322110', ?, ?, '{}', 'RFC8785') ON CONFLICT DO NOTHING");
                 PreparedStatement outcomes = c.prepareStatement("INSERT INTO decision_outcomes ("
                         + JdbiDecisionStore.OUTCOME_COLUMNS + ") VALUES (?, ?, FALSE, ?, FALSE, ?) ON CONFLICT DO NOTHING");
                 PreparedStatement charges = c.prepareStatement("INSERT INTO charges (" + JdbiChargeStore.COLUMNS
                         + ") VALUES (?, ?, 'task_completed', ?, 'task', 'agent-bench', ?, ?, FALSE, 'QUALIFIED', NULL, TRUE, "
                         + "'[]', 0, ?, ?) ON CONFLICT DO NOTHING");
                 PreparedStatement ledger = c.prepareStatement("INSERT INTO ledger_entries (" + JdbiLedger.COLUMNS
                         + ") VALUES (?, ?, ?, 'task_completed', ?, 'task', 'RECORDED', NULL, 'QUALIFIED', ?, 'system', NULL, "
                         + "'v1', ?, NULL)")) {
                for (int round = 0; round < 2; round++) {
                    long started = System.nanoTime();
                    for (int from = 0; from < n; from += BATCH) {
                        for (int i = from; i < Math.min(n, from + BATCH); i++) {
                            String id = String.format(Locale.ROOT, "0190%08x-%04x-7000-8000-000000000000", i, round);
                            String task = "task-" + round + "-" + i;
                            String sub = "sub-bench-" + i % 10;
                            long at = 1_770_390_000_000_000L + i;
                            boolean billable = i % 10 < 7;
                            decisions.setString(1, id);
                            decisions.setString(2, task);
                            decisions.setString(3, sub);
                            decisions.setLong(4, at);
                            decisions.setLong(5, at);
                            decisions.setString(6, EVIDENCE);
                            decisions.setString(7, DECISION);
                            decisions.addBatch();
                            outcomes.setString(1, id);
                            outcomes.setString(2, billable ? "QUALIFIED" : null);
                            outcomes.setString(3, billable ? id : null);
                            outcomes.setObject(4, billable ? 1_770_390_000_000_000L : null, java.sql.Types.BIGINT);
                            outcomes.addBatch();
                            if (billable) {
                                charges.setString(1, id);
                                charges.setString(2, sub);
                                charges.setString(3, task);
                                charges.setLong(4, at);
                                charges.setLong(5, 1_770_390_000_000_000L);
                                charges.setLong(6, at);
                                charges.setLong(7, at);
                                charges.addBatch();
                                ledger.setString(1, id + "#0");
                                ledger.setString(2, id);
                                ledger.setString(3, sub);
                                ledger.setString(4, task);
                                ledger.setLong(5, 1_770_390_000_000_000L);
                                ledger.setLong(6, at);
                                ledger.addBatch();
                            }
                        }
                        decisions.executeBatch();
                        outcomes.executeBatch();
                        charges.executeBatch();
                        ledger.executeBatch();
                        c.commit();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf(Locale.ROOT, "round %d%s: %,d outcomes in %.2f s = %,.0f outcomes/s%n",
                            round, round == 0 ? " (warm-up)" : "", n, seconds, n / seconds);
                }
            }
        } finally {
            db.drop().run();
        }
    }
}
