package io.taskmetering.adapter.rest;

import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Health, readiness, metrics, request ids, routing errors and limits. */
class OperationsTest {
    @RegisterExtension
    static final TestApp app = new TestApp();

    @Test
    void health_needs_no_key() {
        var r = app.get("/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void ready_follows_the_readiness_check() {
        assertThat(app.get("/ready", null).status()).isEqualTo(200);
        app.ready = false;
        try {
            var r = app.get("/ready", null);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().path("status").asText()).isEqualTo("not_ready");
        } finally {
            app.ready = true;
        }
    }

    @Test
    void metrics_are_prometheus_text_with_outcomes_and_latency() {
        app.post("/v1/outcomes", AGENT_A, json(outcome("m-1", "sub-a")));
        app.post("/v1/outcomes", AGENT_A, json(outcome("m-1", "sub-a")));
        var r = app.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.text())
                .contains("metering_outcomes_total{result=\"qualified\"}")
                .contains("metering_outcomes_total{result=\"duplicate\"}")
                .contains("metering_duplicates_suppressed_total")
                .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/v1/outcomes\",status=\"201\"}")
                .doesNotContain("sub-a");
    }

    @Test
    void metrics_show_what_is_waiting_for_a_person() {
        double before = gauge("metering_charges_pending_review");
        var held = app.post("/v1/outcomes", AGENT_A, json(Bodies.heldOutcome("backlog-1", "sub-a")));
        assertThat(held.status()).isEqualTo(201);

        assertThat(gauge("metering_charges_pending_review")).isEqualTo(before + 1);
        assertThat(gauge("metering_charges_disputed")).isGreaterThanOrEqualTo(0);
        assertThat(gauge("metering_usage_events_pending")).isGreaterThanOrEqualTo(0);
    }

    private static double gauge(String name) {
        String text = app.get("/metrics", null).text();
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in /metrics"));
    }

    @Test
    void request_ids_are_echoed_or_generated() {
        var given = app.send(app.request("/health", null).header("X-Request-Id", "abc-123").GET());
        assertThat(given.header("X-Request-Id")).isEqualTo("abc-123");
        var generated = app.get("/health", null);
        assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        var unsafe = app.send(app.request("/health", null).header("X-Request-Id", "a b<script>").GET());
        assertThat(unsafe.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        var error = app.get("/v1/charges", null);
        assertThat(error.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void unknown_native_routes_are_404_problems_and_wrong_methods_405() {
        var r = app.get("/v1/nothing-here", ADMIN);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        var method = app.send(app.request("/v1/outcomes", ADMIN).DELETE());
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.contentType()).startsWith("application/problem+json");
        var get = app.get("/v1/outcomes", ADMIN);
        assertThat(get.status()).isEqualTo(405);
    }

    @Test
    void notes_and_reasons_have_length_limits() {
        app.post("/v1/outcomes", AGENT_A, json(Bodies.with(outcome("len-1", "sub-a"), "correlation_id", "len-corr")));
        var r = app.post("/v1/charges/len-corr/dispute", ADMIN, json(map("reason", "r".repeat(2001))));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("reason");
    }

    @Test
    void the_body_limit_is_configurable() {
        RestConfig small = RestConfig.withKeys(TestApp.keys()).withMaxBodyBytes(2048);
        try (TestApp limited = new TestApp(small, BillingPolicy.defaults(PlanId.of("p"))).start()) {
            var r = limited.post("/v1/outcomes", AGENT_A, json(Bodies.with(outcome("big", "sub-a"), "workflow_id", "w".repeat(3000))));
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.errorFields()).containsExactly("body");
            // chunked, without Content-Length
            var chunked = limited.send(limited.request("/v1/outcomes", AGENT_A).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(("{\"x\":\"" + "y".repeat(5000) + "\"}").getBytes()))));
            assertThat(chunked.status()).isEqualTo(413);
            assertThat(limited.post("/v1/outcomes", AGENT_A, json(outcome("small", "sub-a"))).status()).isEqualTo(201);
        }
    }

    @Test
    void stop_is_graceful_and_idempotent() {
        TestApp other = new TestApp().start();
        assertThat(other.get("/health", null).status()).isEqualTo(200);
        other.close();
        other.api.stop();
    }
}
