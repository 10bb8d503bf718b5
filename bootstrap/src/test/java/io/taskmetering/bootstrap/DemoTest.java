package io.taskmetering.bootstrap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Contoso demo, through the real stack and through the embedding API, prints the same billing facts. */
class DemoTest {
    private static final String PAYLOAD_QUANTITY_2 = "\"quantity\":2";

    @Test
    void theFullStackDemoBillsTwoOfFiveTasksInOneUsageEventAndShowsAnAuditBundle() {
        CommandRun run = run("demo");
        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("task-001  HTTP 201  QUALIFIED")
                .contains("task-003  HTTP 201  NOT BILLABLE")
                .contains("terminal_success:failed")
                .contains("task-001  HTTP 200  DUPLICATE")
                .contains("output_validation:invalid=result")
                .contains("usage event 2025-06-01T14:00:00Z quantity 2 status DRY_RUN")
                .contains("\"resourceId\":\"sub-contoso-001\"")
                .contains("\"effectiveStartTime\":\"2025-06-01T14:00:00Z\"")
                .contains(PAYLOAD_QUANTITY_2)
                .contains("\"evidence_sha256\"")
                .contains("\"to_state\":\"BILLABLE\"");
    }

    @Test
    void theEmbeddedDemoNeedsOnlyTheDomain() {
        CommandRun run = run("demo", "--embedded");
        assertThat(run.code()).isZero();
        assertThat(run.out())
                .contains("Duplicates suppressed: 1")
                .contains("{\"resourceId\":\"sub-contoso-001\",\"quantity\":2,\"dimension\":\"task_completed\","
                        + "\"effectiveStartTime\":\"2025-06-01T14:00:00Z\",\"planId\":\"basic\"}");
    }

    @Test
    void anUnknownCommandPrintsUsageAndExitsWithTwo() {
        CommandRun run = run("frobnicate");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("unknown command: frobnicate").contains("serve");
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }
}
