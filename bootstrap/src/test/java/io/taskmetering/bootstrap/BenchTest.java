package io.taskmetering.bootstrap;

import io.taskmetering.bootstrap.system.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bench on a small workload: its last stdout line is one JSON object, and it checks the database, not itself. */
class BenchTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in-process", "http", "embedded"})
    void aSmallRunIsCorrectAndLeavesNoScratchDatabase(String mode) throws IOException {
        Set<Path> scratchBefore = scratchFiles();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Bench.run(List.of("--outcomes", "1200", "--mode", mode, "--batch", "100", "--concurrency", "2"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) Json.parse(lines[lines.length - 1]);
        assertThat(code).isZero();
        assertThat(result).containsKeys("outcomes", "seconds", "throughput_per_s", "p50_ms", "p99_ms", "billed",
                "expected_billed", "correct");
        assertThat(result.get("correct")).isEqualTo(true);
        assertThat(result.get("billed")).isEqualTo(result.get("expected_billed"));
        assertThat(result.get("outcomes")).isEqualTo(1200L);
        assertThat(result.get("mode")).as("the line says which mode ran").isEqualTo(mode);
        // the default warm-up (a fifth of the run) is recorded too, and checked with the rest
        assertThat(result.get("warmup")).isEqualTo(240L);
        assertThat((Long) result.get("expected_billed"))
                .isEqualTo(Bench.expectedBilled(Bench.workload(1200, 42)) + Bench.expectedBilled(Bench.workload(240, 7)));
        assertThat(scratchFiles()).as("scratch databases left behind").isEqualTo(scratchBefore);
    }

    /** With a version in shadow every outcome is also decided under it, and billing stays exactly as without. */
    @Test
    void withAShadowEveryOutcomeIsShadowedAndTheBillingIsUnchanged() throws Exception {
        String url = "jdbc:h2:mem:bench-shadow-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Bench.run(List.of("--outcomes", "600", "--batch", "100", "--concurrency", "2", "--shadow", "on",
                        "--db", url), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) Json.parse(lines[lines.length - 1]);

        assertThat(code).isZero();
        assertThat(result.get("correct")).isEqualTo(true);
        assertThat(result.get("shadow")).isEqualTo(true);
        try (var connection = java.sql.DriverManager.getConnection(url, "sa", "");
             var rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM shadow_decisions")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(600 + 120);
            connection.createStatement().execute("SHUTDOWN");
        }
        assertThatThrownBy(() -> Bench.parse(List.of("--shadow", "maybe"))).hasMessageContaining("--shadow");
    }

    @Test
    void theWarmUpIsAFifthOfTheRunAtMostFiftyThousandOrWhatIsAsked() {
        assertThat(Bench.parse(List.of("--outcomes", "1000")).warmup()).isEqualTo(200);
        assertThat(Bench.parse(List.of("--outcomes", "1000000")).warmup()).isEqualTo(Bench.MAX_DEFAULT_WARMUP);
        assertThat(Bench.parse(List.of("--outcomes", "1000", "--warmup", "0")).warmup()).isZero();
        assertThatThrownBy(() -> Bench.parse(List.of("--warmup", "-1"))).hasMessageContaining("--warmup");
    }

    @Test
    void theWarmUpsTasksAndSubscriptionsAreNotTheMeasuredOnes() {
        assertThat(Bench.workload(100, 7, "warmup-")).allSatisfy(s -> {
            assertThat(s.taskId()).startsWith("warmup-");
            assertThat(s.subscription()).startsWith("warmup-");
        });
    }

    private static Set<Path> scratchFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("metering-bench-")).collect(Collectors.toSet());
        }
    }

    @Test
    void theWorkloadFollowsTheReferenceMixAndCountsEachBillableTaskOnce() {
        List<Bench.Spec> specs = Bench.workload(10_000, 42);
        long billableReports = specs.stream().filter(s -> s.kind() == Bench.Kind.BILLABLE).count();
        long failed = specs.stream().filter(s -> s.kind() == Bench.Kind.FAILED).count();
        long empty = specs.stream().filter(s -> s.kind() == Bench.Kind.EMPTY).count();
        long expected = Bench.expectedBilled(specs);
        assertThat(failed).isBetween(1_350L, 1_650L);
        assertThat(empty).isBetween(650L, 950L);
        assertThat(billableReports - expected).as("retries of earlier tasks").isBetween(550L, 850L);
    }

    @ParameterizedTest(name = "otlp {0}")
    @ValueSource(strings = {"protobuf", "json"})
    void aSmallTracedRunDecidesEveryTaskAndBillsExactlyTheBillableOnes(String encoding) throws IOException {
        Set<Path> scratchBefore = scratchFiles();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Bench.run(List.of("--outcomes", "600", "--mode", "otlp", "--encoding", encoding, "--batch", "50",
                        "--concurrency", "2"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) Json.parse(lines[lines.length - 1]);
        assertThat(code).as(result.toString()).isZero();
        assertThat(result.get("correct")).isEqualTo(true);
        assertThat(result.get("encoding")).isEqualTo(encoding);
        assertThat(result.get("tasks")).isEqualTo(600L);
        assertThat(result.get("spans")).isEqualTo(600L * OtlpBench.SPANS_PER_TASK);
        assertThat(result.get("tasks_decided")).isEqualTo(600L);
        assertThat(result.get("failed_exports_or_rejected_spans")).isEqualTo(0L);
        assertThat((Long) result.get("expected_billed")).isEqualTo(Bench.expectedBilled(Bench.workload(120, 7,
                "warmup-")) + Bench.expectedBilled(Bench.workload(600, 42)));
        assertThat(result.get("billed")).isEqualTo(result.get("expected_billed"));
        assertThat(result).containsKeys("spans_per_s", "tasks_settled_per_s", "tasks_per_s_end_to_end");
        assertThat(scratchFiles()).isEqualTo(scratchBefore);
    }

    @Test
    void theEncodingBelongsToTheOtlpMode() {
        assertThat(Bench.parse(List.of("--mode", "otlp")).encoding()).isEqualTo("protobuf");
        assertThatThrownBy(() -> Bench.parse(List.of("--mode", "otlp", "--encoding", "xml")))
                .hasMessageContaining("--encoding");
        assertThatThrownBy(() -> Bench.parse(List.of("--mode", "http", "--encoding", "json")))
                .hasMessageContaining("--encoding");
    }

    @Test
    void unknownOptionsAreRefused() {
        assertThatThrownBy(() -> Bench.parse(List.of("--outcomez", "5"))).hasMessageContaining("--outcomez");
        assertThatThrownBy(() -> Bench.parse(List.of("--mode", "warp"))).hasMessageContaining("--mode");
        assertThatThrownBy(() -> Bench.parse(List.of("--batch", "0"))).hasMessageContaining("--batch");
    }
}
