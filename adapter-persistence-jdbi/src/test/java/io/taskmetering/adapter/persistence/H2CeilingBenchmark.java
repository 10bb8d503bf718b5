package io.taskmetering.adapter.persistence;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Locale;

/**
 * How fast H2 itself can go on this machine, without the service: the service's own schema (migrated by
 * {@link PersistenceModule}, every index) and, per outcome of the bench's mix, the same rows the service writes — a
 * decision with its evidence, decision JSON and expected outcome in one row; for the 70 in 100 billable outcomes a
 * charge and its first ledger entry; for the 7 in 100 retries of a charged task the update that marks the decision a
 * duplicate — in plain JDBC batches of 500 with one durable commit per batch ({@code WRITE_DELAY=0}), one writer, and
 * no evaluation, no JSON writing, no counters, no reads. Whatever the service does on top of this costs more, so this
 * is an upper bound for the H2 targets. Argument: outcomes per round (two rounds; the first warms up).
 */
public final class H2CeilingBenchmark {
    private static final String EVIDENCE = "{\"outputs\":{\"result\":\"Summary generated\",\"status\":\"completed\"},"
            + "\"query\":\"Summarize the report\",\"response\":\"Revenue grew 12%\",\"scores\":{},\"traces\":[]}";
    /** The compact form the service writes (JsonColumns.decision). */
    private static final String DECISION = "{\"reason_codes\":[\"intent_resolution:passed\",\"terminal_success:passed\","
            + "\"required_outputs:passed\",\"output_validation:passed\",\"approval:skipped\"],\"review_reasons\":[]}";
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
                    + ", evidence_complete, " + JdbiDecisionStore.OUTCOME_COLUMNS + ") VALUES (?, ?, 'agent-bench', ?, "
                    + "'task_completed', 'plan-basic', 'METERED', ?, ?, TRUE, 'v1', "
                    + "'3f2a9c0d1e4b5a6978877665544332211ffeeddccbbaa9988776655443322110', ?, ?, '{}', 'RFC8785', FALSE, ?, "
                    + "NULL, ?, FALSE) ON CONFLICT DO NOTHING");
                 PreparedStatement duplicates = c.prepareStatement("UPDATE decisions SET outcome_state = NULL, "
                         + "outcome_duplicate_of = ?, outcome_hour_us = NULL, outcome_late = FALSE WHERE correlation_id = ?");
                 PreparedStatement charges = c.prepareStatement("INSERT INTO charges (" + JdbiChargeStore.COLUMNS
                         + ") VALUES (?, ?, 'task_completed', ?, 'task', 'agent-bench', ?, ?, FALSE, 'QUALIFIED', NULL, TRUE, "
                         + "'[]', 0, ?, ?) ON CONFLICT DO NOTHING");
                 PreparedStatement ledger = c.prepareStatement("INSERT INTO ledger_entries (" + JdbiLedger.COLUMNS
                         + ") VALUES (?, ?, ?, 'task_completed', ?, 'task', 'RECORDED', NULL, 'QUALIFIED', ?, 'system', NULL, "
                         + "'v1', ?, NULL)")) {
                // CPU time of the one writing thread: steadier than wall time on a machine shared with other work.
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                for (int round = 0; round < 2; round++) {
                    long started = System.nanoTime();
                    long cpuStarted = threads.getCurrentThreadCpuTime();
                    for (int from = 0; from < n; from += BATCH) {
                        for (int i = from; i < Math.min(n, from + BATCH); i++) {
                            String id = String.format(Locale.ROOT, "0190%08x-%04x-7000-8000-000000000000", i, round);
                            String task = "task-" + round + "-" + i;
                            String sub = "sub-bench-" + i % 10;
                            long at = 1_770_390_000_000_000L + i;
                            boolean billable = i % 100 < 70;
                            boolean duplicate = i % 100 >= 93;
                            decisions.setString(1, id);
                            decisions.setString(2, task);
                            decisions.setString(3, sub);
                            decisions.setLong(4, at);
                            decisions.setLong(5, at);
                            decisions.setString(6, EVIDENCE);
                            decisions.setString(7, DECISION);
                            decisions.setString(8, billable || duplicate ? "QUALIFIED" : null);
                            decisions.setObject(9, billable || duplicate ? 1_770_390_000_000_000L : null,
                                    java.sql.Types.BIGINT);
                            decisions.addBatch();
                            if (duplicate) {
                                duplicates.setString(1, String.format(Locale.ROOT, "0190%08x-%04x-7000-8000-000000000000",
                                        i - 93, round));
                                duplicates.setString(2, id);
                                duplicates.addBatch();
                            }
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
                        duplicates.executeBatch();
                        charges.executeBatch();
                        ledger.executeBatch();
                        c.commit();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e3 / n;
                    System.out.printf(Locale.ROOT, "round %d%s: %,d outcomes in %.2f s = %,.0f outcomes/s, "
                                    + "writer CPU %.1f us/outcome%n",
                            round, round == 0 ? " (warm-up)" : "", n, seconds, n / seconds, cpuMicros);
                }
            }
        } finally {
            db.drop().run();
        }
    }
}
