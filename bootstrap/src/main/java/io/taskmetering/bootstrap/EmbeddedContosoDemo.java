package io.taskmetering.bootstrap;

import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.charge.RecordingOutcome;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.meter.MeteredOutcome;
import io.taskmetering.domain.meter.Outcome;
import io.taskmetering.domain.meter.OutcomeMeter;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Contoso scenario run through the domain's embedding API alone ({@code demo --embedded}): no database, no HTTP,
 * the same decisions and the same usage event as the full-stack demo.
 */
final class EmbeddedContosoDemo {
    static final String SUBSCRIPTION = ContosoDemo.SUBSCRIPTION;
    static final Instant HOUR = ContosoDemo.HOUR;

    private EmbeddedContosoDemo() {
    }

    /** The five reported tasks, in the order the agent runtime sent them. */
    static List<Outcome> outcomes() {
        return List.of(
                outcome("task-001", "Summarize contract", Map.of("status", "completed", "result", "Summary generated"), 5),
                outcome("task-002", "Extract invoice terms", Map.of("status", "completed", "result", "Terms: net 30"), 12),
                outcome("task-003", "Generate report", Map.of("status", "failed", "error", "timed out after 8,000 tokens"), 20),
                outcome("task-001", "Summarize contract (retry)", Map.of("status", "completed", "result", "Summary generated"), 31),
                outcome("task-005", "Extract terms", Map.of("status", "completed", "result", ""), 44));
    }

    private static Outcome outcome(String taskId, String query, Map<String, Object> outputs, int minute) {
        Evidence evidence = new Evidence(new LinkedHashMap<>(outputs), List.of(), Map.of(), query,
                "Done: " + query.toLowerCase(java.util.Locale.ROOT));
        return Outcome.of(taskId, "agent-alpha", SUBSCRIPTION, HOUR.plusSeconds(minute * 60L), evidence);
    }

    static int run(PrintStream out) {
        Clock clock = Clock.fixed(HOUR.plusSeconds(50 * 60), ZoneOffset.UTC);
        OutcomeMeter meter = OutcomeMeter.builder()
                .contract(ContractConfig.defaults().withRequireIntentResolution(true))
                .planId("basic")
                .clock(clock)
                .build();
        out.println("Contoso Corp, hour " + HOUR + " (" + SUBSCRIPTION + ")");
        for (Outcome outcome : outcomes()) {
            MeteredOutcome result = meter.record(outcome);
            out.printf("  %-9s %-13s %s%n", outcome.taskId(), verdict(result.recording()),
                    String.join(" ", result.decision().reasonCodes()));
        }
        List<UsageEvent> events = meter.closeDueHours(HOUR.plusSeconds(70 * 60));
        out.println("Duplicates suppressed: " + meter.duplicates());
        out.println("Usage events for the Marketplace (" + events.size() + "):");
        events.forEach(event -> out.println("  " + event.toMarketplaceJson()));
        return 0;
    }

    private static String verdict(RecordingOutcome recording) {
        if (recording instanceof RecordingOutcome.Recorded) {
            return "BILLABLE";
        }
        if (recording instanceof RecordingOutcome.Duplicate) {
            return "DUPLICATE";
        }
        if (recording instanceof RecordingOutcome.HeldForReview) {
            return "HELD";
        }
        return "NOT BILLABLE";
    }
}
