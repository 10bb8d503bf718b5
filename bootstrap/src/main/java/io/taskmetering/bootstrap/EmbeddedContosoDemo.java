package io.taskmetering.bootstrap;

import io.taskmetering.adapter.marketplace.MarketplacePayloads;
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
 * the same decisions and the same usage event as the full-stack demo, printed as the Marketplace adapter would send it.
 */
final class EmbeddedContosoDemo {
    static final String SUBSCRIPTION = ContosoDemo.SUBSCRIPTION;
    static final Instant HOUR = ContosoDemo.HOUR;

    private EmbeddedContosoDemo() {
    }

    /** The shared Contoso reports as domain outcomes. */
    static List<Outcome> outcomes() {
        return ContosoDemo.REPORTS.stream().map(r -> Outcome.of(r.taskId(), ContosoDemo.AGENT, SUBSCRIPTION,
                r.occurredAt(), new Evidence(new LinkedHashMap<>(r.outputs()), List.of(), Map.of(), r.query(),
                        r.response()))).toList();
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
        events.forEach(event -> out.println("  " + MarketplacePayloads.eventJson(event)));
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
