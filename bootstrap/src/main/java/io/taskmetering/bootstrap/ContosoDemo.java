package io.taskmetering.bootstrap;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Contoso scenario of the reference library's README through the real stack: an in-memory database, the HTTP API
 * on a free port and the dry-run Marketplace. Five tasks in the 14:00 UTC hour of 2025-06-01 — two billable, one
 * failed, a retry of task-001 and one with an empty result — become one usage event of quantity 2.
 */
final class ContosoDemo {
    static final String SUBSCRIPTION = "sub-contoso-001";
    static final Instant HOUR = Instant.parse("2025-06-01T14:00:00Z");

    private ContosoDemo() {
    }

    static final String AGENT = "agent-alpha";

    /** One task as the agent runtime reports it; both demos (full stack and embedded) replay these. */
    record Report(String taskId, int minute, String query, Map<String, Object> outputs) {
        Instant occurredAt() {
            return HOUR.plus(Duration.ofMinutes(minute));
        }

        String response() {
            return "Done: " + query;
        }
    }

    /** The five reports, in the order they were sent: two billable, a failure, a retry of task-001, an empty result. */
    static final List<Report> REPORTS = List.of(
            new Report("task-001", 5, "Summarize contract", Map.of("status", "completed", "result", "Summary generated")),
            new Report("task-002", 12, "Extract invoice terms", Map.of("status", "completed", "result", "Terms: net 30")),
            new Report("task-003", 20, "Generate report", Map.of("status", "failed", "error", "timed out after 8,000 tokens")),
            new Report("task-001", 31, "Summarize contract (retry)", Map.of("status", "completed", "result", "Summary generated")),
            new Report("task-005", 44, "Extract terms", Map.of("status", "completed", "result", "")));

    /** The reports as {@code POST /v1/outcomes} bodies. */
    static List<Map<String, Object>> outcomes() {
        return REPORTS.stream().map(ContosoDemo::body).toList();
    }

    private static Map<String, Object> body(Report report) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("outputs", report.outputs());
        evidence.put("query", report.query());
        evidence.put("response", report.response());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task_id", report.taskId());
        body.put("agent_id", AGENT);
        body.put("subscription_ref", SUBSCRIPTION);
        body.put("occurred_at", report.occurredAt().toString());
        body.put("evidence", evidence);
        return body;
    }

    static int run(PrintStream out) {
        ManualClock clock = new ManualClock(HOUR.plus(Duration.ofMinutes(50)));
        MeteringConfig config = MeteringConfig.load(ConfigSource.ofMap(Map.of(
                "METERING_DB_URL", "jdbc:h2:mem:demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "METERING_HTTP_PORT", "0",
                "METERING_PLAN_ID", "basic",
                "METERING_CONTRACT_REQUIRE_INTENT_RESOLUTION", "true",
                "METERING_SUBMIT_INTERVAL", "PT24H")));
        try (MeteringService service = MeteringService.serve(config, clock)) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + service.port(), null);
            out.println("Contoso Corp, hour " + HOUR + " (" + SUBSCRIPTION + "), API on port " + service.port());
            String firstCorrelation = null;
            for (Map<String, Object> outcome : outcomes()) {
                ApiClient.Response response = api.post("/v1/outcomes", ApiClient.json(outcome));
                Map<String, Object> result = response.json();
                if (firstCorrelation == null) {
                    firstCorrelation = (String) result.get("correlation_id");
                }
                out.printf("  %-9s HTTP %d  %-13s %s%n", outcome.get("task_id"), response.status(), verdict(result),
                        String.join(" ", strings(result.get("reason_codes"))));
                if (Boolean.TRUE.equals(result.get("duplicate"))) {
                    out.println("            duplicate of the charge " + result.get("charge_correlation_id")
                            + ": billed once, ever");
                }
            }
            clock.advance(Duration.ofMinutes(25)); // 15:15: the 14:00 hour has closed (grace 10 minutes)
            ApiClient.Response submitted = api.post("/v1/usage-events/submit", "{}");
            out.println("Close and submit: HTTP " + submitted.status());
            Map<String, Object> events = api.get("/v1/usage-events?subscription_ref=" + SUBSCRIPTION).json();
            for (Object item : (List<?>) events.get("data")) {
                Map<?, ?> event = (Map<?, ?>) item;
                out.println("  usage event " + event.get("hour") + " quantity " + event.get("quantity") + " status "
                        + event.get("status"));
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("resourceId", event.get("subscription_ref"));
                payload.put("quantity", event.get("quantity"));
                payload.put("dimension", event.get("dimension"));
                payload.put("effectiveStartTime", event.get("hour"));
                payload.put("planId", event.get("plan_id"));
                out.println("  Marketplace payload: " + ApiClient.json(payload));
            }
            out.println("Evidence bundle of task-001 (GET /v1/audit/" + firstCorrelation + "):");
            out.println(api.get("/v1/audit/" + firstCorrelation).body());
            return 0;
        }
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    private static String verdict(Map<String, Object> result) {
        if (Boolean.TRUE.equals(result.get("duplicate"))) {
            return "DUPLICATE";
        }
        Object state = result.get("charge_state");
        return state == null ? "NOT BILLABLE" : state.toString();
    }
}
