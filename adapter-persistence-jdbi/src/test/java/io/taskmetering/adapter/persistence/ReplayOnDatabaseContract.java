package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.in.ActivateContractCommand;
import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.EvaluateOutcomeCommand;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.ReplayQuery;
import io.taskmetering.application.port.in.ReplayResult;
import io.taskmetering.application.port.in.ShadowCommand;
import io.taskmetering.application.service.MeteringUseCases;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Evidence;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.taskmetering.adapter.persistence.Fixtures.AGENT;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.clockAt;
import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay on a real database: decisions read back from their JSON columns replay exactly under their own versions, and
 * a replay leaves every table byte for byte as it was.
 */
abstract class ReplayOnDatabaseContract extends ModuleTestBase {
    private static final ContractConfig APPROVAL = ContractConfig.defaults().withVersion("approval-v2")
            .withRequireApproval(true);
    /** Every table a replay could conceivably touch. */
    private static final List<String> TABLES = List.of("decisions", "charges", "ledger_entries",
            "hour_buckets", "cap_counters", "usage_events", "anomalies", "usage_records", "shadow_decisions",
            "contract_versions", "contract_activations", "contract_shadows");

    private static RecordOutcomeCommand outcome(SubscriptionRef sub, String id, int minute, Evidence evidence) {
        return new RecordOutcomeCommand(new OutcomeReport(new TaskId("task-" + id), AGENT, sub, cid("c-" + id),
                T0.plusSeconds(60L * minute), null, null, null, null, evidence, null));
    }

    /**
     * A mixed set: the bootstrap version until 14:30, the approval version for sub-1 from then on; numbers whose RFC
     * 8785 form differs from their text, nested and non-ASCII outputs, approved, failed, blank, handed-off, a
     * duplicate, an evaluation, a late outcome, an approval version in shadow.
     */
    private void recordMixedSet() {
        MeteringUseCases during = Services.wire(module.ports(), clockAt(T0.plusSeconds(3000)));
        during.createContractVersion().create(new CreateContractVersionCommand(ContractConfig.defaults()));
        during.createContractVersion().create(new CreateContractVersionCommand(APPROVAL));
        during.activateContract().activate(new ActivateContractCommand("approval-v2", T0.plusSeconds(1800), SUB));
        during.startShadow().start(new ShadowCommand("approval-v2", (SubscriptionRef) null));
        Evidence numbers = anEvidence().withOutput("ratio", new BigDecimal("0.100000000000000000000001"))
                .withOutput("tiny", new BigDecimal("1e-7")).withOutput("big", BigInteger.TWO.pow(60))
                .withOutput("nested", Map.of("list", List.of(1L, "zwei", true), "ünïcødé", "日本")).withScore("q", 4.5)
                .build();
        during.recordOutcomeBatch().recordBatch(new RecordOutcomeBatchCommand(List.of(
                outcome(SUB, "01", 5, numbers),
                outcome(SUB, "02", 6, anEvidence().withOutput("status", "failed").build()),
                outcome(SUB, "03", 7, anEvidence().withOutput("result", " ").build()),
                outcome(SUB, "04", 8, anEvidence().withOutput("human_handoff", true).build()),
                outcome(SUB, "05", 35, anEvidence().withOutput("approved", true).build()),
                outcome(SUB, "06", 36, numbers),
                outcome(SUB2, "07", 9, numbers),
                outcome(SUB2, "08", 40, anEvidence().withOutput("contributing_agents", List.of("a", "b")).build()))));
        during.recordOutcomeBatch().recordBatch(new RecordOutcomeBatchCommand(List.of(
                new RecordOutcomeCommand(new OutcomeReport(new TaskId("task-07"), AGENT, SUB2, cid("c-09"),
                        T0.plusSeconds(600), null, null, null, null, numbers, null)))));
        during.evaluateOutcome().evaluate(new EvaluateOutcomeCommand(outcome(SUB, "10", 41, numbers).report()));
        during.close();
        MeteringUseCases later = Services.wire(module.ports(), clockAt(T0.plusSeconds(4800)));
        later.closeHours().closeDueHours(CloseHoursCommand.defaults());
        later.recordOutcomeBatch().recordBatch(new RecordOutcomeBatchCommand(List.of(outcome(SUB2, "11", 50, numbers))));
        later.close();
    }

    /** Every row of every table, each as its columns in name order, sorted: equal exactly when the tables are. */
    private Map<String, List<String>> dump() {
        Map<String, List<String>> tables = new TreeMap<>();
        for (String table : TABLES) {
            List<String> rows = new ArrayList<>();
            jdbi().useHandle(h -> h.createQuery("SELECT * FROM " + table).mapToMap().forEach(row ->
                    rows.add(new TreeMap<>(row).toString())));
            rows.sort(null);
            tables.put(table, rows);
        }
        return tables;
    }

    private ReplayResult.Replayed replay(MeteringUseCases useCases, String version) {
        return (ReplayResult.Replayed) useCases.replays().replay(new ReplayQuery(version, T0, T0.plusSeconds(7200),
                Set.of(), 100, null));
    }

    @Test
    void decisionsReadBackReplayExactlyAndAReplayLeavesEveryTableAsItWas() {
        recordMixedSet();
        Map<String, List<String>> before = dump();
        MeteringUseCases useCases = Services.wire(module.ports(), clockAt(T0.plusSeconds(5400)));

        ReplayResult.Replayed asRecorded = replay(useCases, ReplayQuery.AS_RECORDED);
        ReplayResult.Replayed approval = replay(useCases, "approval-v2");
        useCases.close();

        assertThat(asRecorded.replayed()).isEqualTo(10);
        assertThat(asRecorded.mismatches()).isEmpty();
        assertThat(asRecorded.unchanged()).isEqualTo(10);
        assertThat(asRecorded.flips()).isEmpty();
        // Without approved: true the approval version bills none of 01, 04, 06 (decided before 14:30 or for sub-2),
        // 07, 08, 09, 11; 05 was approved, 02 and 03 failed under both.
        assertThat(approval.flips()).extracting(f -> f.correlationId().value())
                .containsExactly("c-01", "c-04", "c-07", "c-09", "c-08", "c-11");
        assertThat(approval.flippedToBillable()).isZero();
        assertThat(dump()).isEqualTo(before);
        assertThat(before.get("charges")).isNotEmpty();
        assertThat(before.get("ledger_entries")).isNotEmpty();
        assertThat(before.get("usage_events")).isNotEmpty();
        assertThat(before.get("shadow_decisions")).hasSize(10);
    }
}
