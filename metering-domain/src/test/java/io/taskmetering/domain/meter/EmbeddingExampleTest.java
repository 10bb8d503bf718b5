package io.taskmetering.domain.meter;

import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.evaluation.Evidence;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedding example of {@code docs/embedding.md}, compiled and run here. The lines between the {@code snippet}
 * markers are the ones the guide shows; {@link #theGuideShowsExactlyThisSnippet()} keeps the two identical, and the
 * line the guide says it prints true.
 */
class EmbeddingExampleTest {
    private static final String EXPECTED_LINE = "sub-contoso-001 task_completed 2025-06-01T14:00:00Z quantity 2 plan basic";

    private static List<UsageEvent> contoso() {
        // tag::snippet[]
        OutcomeMeter meter = OutcomeMeter.builder()
                .planId("basic")
                .clock(Clock.fixed(Instant.parse("2025-06-01T14:50:00Z"), ZoneOffset.UTC))
                .build();
        Instant at = Instant.parse("2025-06-01T14:05:00Z");
        Evidence done = new Evidence(Map.of("status", "completed", "result", "Summary generated"), null, null, null, null);
        Evidence failed = new Evidence(Map.of("status", "failed"), null, null, null, null);
        Evidence empty = new Evidence(Map.of("status", "completed", "result", ""), null, null, null, null);
        meter.record(Outcome.of("task-001", "agent-alpha", "sub-contoso-001", at, done));   // billable
        meter.record(Outcome.of("task-002", "agent-alpha", "sub-contoso-001", at, done));   // billable
        meter.record(Outcome.of("task-003", "agent-alpha", "sub-contoso-001", at, failed)); // terminal_success:failed
        meter.record(Outcome.of("task-001", "agent-alpha", "sub-contoso-001", at, done));   // retry: duplicate
        meter.record(Outcome.of("task-005", "agent-alpha", "sub-contoso-001", at, empty));  // output_validation:invalid=result
        List<UsageEvent> events = meter.closeDueHours(Instant.parse("2025-06-01T15:10:00Z"));
        events.forEach(event -> System.out.println(event.resourceId() + " " + event.dimension() + " "
                + event.effectiveStartTime() + " quantity " + event.quantity() + " plan " + event.planId().value()));
        // end::snippet[]
        assertThat(meter.duplicates()).isEqualTo(1);
        assertThat(meter.charges()).hasSize(2);
        return events;
    }

    @Test
    void theContosoHourBecomesOneUsageEventOfQuantityTwo() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        List<UsageEvent> events;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            events = contoso();
        } finally {
            System.setOut(original);
        }

        assertThat(events).hasSize(1);
        assertThat(events.get(0).quantity()).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo(EXPECTED_LINE + System.lineSeparator());
    }

    @Test
    void theGuideShowsExactlyThisSnippet() throws IOException {
        Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        String test = Files.readString(moduleDir.resolve(
                "src/test/java/io/taskmetering/domain/meter/EmbeddingExampleTest.java"));
        String guide = Files.readString(moduleDir.resolveSibling("docs").resolve("embedding.md"));

        String snippet = between(test, "// tag::snippet[]\n", "        // end::snippet[]")
                .lines().map(line -> line.replaceFirst("^ {8}", "")).collect(Collectors.joining("\n", "", "\n"));

        assertThat(guide).contains(snippet);
        assertThat(guide).as("what the guide says it prints").contains("```\n" + EXPECTED_LINE + "\n```");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }
}
