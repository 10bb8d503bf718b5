package io.taskmetering.bootstrap;

import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Evidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code replay} on the configured database: the summary, every flip, and the exit code. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    private static RecordOutcomeCommand outcome(String id, Instant at, Map<String, Object> outputs) {
        return new RecordOutcomeCommand(new OutcomeReport(new TaskId("task-" + id), new AgentId("agent-1"),
                new SubscriptionRef("sub-cli"), new CorrelationId("corr-" + id), at, null, null, null, null,
                new Evidence(outputs, List.of(), Map.of(), "q", "a"), null));
    }

    @Test
    void printsTheSummaryAndEveryFlipAndChangesNothing() throws Exception {
        Path config = dir.resolve("metering.properties");
        Files.writeString(config, "METERING_DB_URL=jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + "\n");
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        try (MeteringService service = MeteringService.headless(Main.loadConfig(List.of("--config", config.toString())),
                Clock.systemUTC())) {
            service.useCases().createContractVersion().create(new CreateContractVersionCommand(
                    ContractConfig.defaults().withVersion("approval-v2").withRequireApproval(true)));
            service.useCases().recordOutcomeBatch().recordBatch(new RecordOutcomeBatchCommand(List.of(
                    outcome("1", at, Map.of("status", "completed", "approved", true)),
                    outcome("2", at, Map.of("status", "completed")),
                    outcome("3", at, Map.of("status", "failed")))));
        }
        String from = at.minusSeconds(3600).toString();
        String to = at.plusSeconds(1).toString();

        CommandRun asRecorded = run("replay", "--contract", "as_recorded", "--from", from, "--to", to, "--config",
                config.toString());
        CommandRun approval = run("replay", "--contract", "approval-v2", "--from", from, "--to", to, "--subscription",
                "sub-cli", "--config", config.toString());
        CommandRun unknown = run("replay", "--contract", "nope", "--from", from, "--to", to, "--config", config.toString());

        assertThat(asRecorded.code()).as(asRecorded.err()).isZero();
        assertThat(asRecorded.out()).contains("replayed 3 decision(s)")
                .contains("unchanged 3, flipped to billable 0, flipped to not billable 0, mismatches 0");
        assertThat(approval.code()).as(approval.err()).isZero();
        assertThat(approval.out()).contains("for sub-cli under approval-v2")
                .contains("unchanged 2, flipped to billable 0, flipped to not billable 1, mismatches 0")
                .contains("flip corr-2 task task-2 sub-cli").contains("to not billable")
                .contains("approval:failed")
                .contains("quantity difference -1");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no contract version nope");
        assertThat(run("replay", "--contract", "as_recorded", "--from", "yesterday", "--to", to).err())
                .contains("--from");
    }
}
