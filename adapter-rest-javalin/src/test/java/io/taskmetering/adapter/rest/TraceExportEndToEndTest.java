package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.common.internal.StandardComponentId;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.taskmetering.application.port.in.SettleTracesResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.reflect.Constructor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end with a client no one here wrote: the OpenTelemetry Java SDK records GenAI agent runs and its OTLP/HTTP
 * exporter sends them, in binary protobuf and in OTLP JSON, to the service on a real port. Each run is then settled
 * (the one test clock moved past the settle delay, {@code settleTraces()} run as the scheduler runs it) and the
 * charges, evidence bundles and usage records are read back through the API.
 *
 * <p>The SDK's public builder exports protobuf only; its JSON encoding (what {@code http/json} exporters of other
 * languages send) is reached through the builder's internal {@link HttpExporterBuilder#exportAsJson()}.
 */
class TraceExportEndToEndTest {
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("gen_ai.agent.id");
    private static final AttributeKey<String> AGENT_VERSION = AttributeKey.stringKey("gen_ai.agent.version");
    private static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("metering.task_id");
    private static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    private static final Duration PAST_SETTLE_DELAY = Duration.ofSeconds(6);

    @RegisterExtension
    static final TestApp app = new TestApp();

    /** What the SDK ended, by span name, so that each test exports exactly the batches it means to. */
    private static final Map<String, SpanData> ENDED = new ConcurrentHashMap<>();
    private static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "support-desk",
                    AttributeKey.stringKey("metering.subscription_ref"), "sub-a")))
            .addSpanProcessor(SimpleSpanProcessor.create(new Recorder()))
            .build();
    private static final Tracer TRACER = PROVIDER.get("io.taskmetering.e2e");

    @AfterAll
    static void shutDown() {
        PROVIDER.shutdown().join(10, TimeUnit.SECONDS);
    }

    enum Encoding { PROTOBUF, JSON }

    @Test
    void an_agent_run_with_inference_and_tool_children_is_charged_once_with_its_trace_as_evidence_and_usage() {
        Span agent = agent("ticket-4711", "support-bot", 0);
        child(agent, "chat gpt-4o", "chat", 1, 4, Map.of(INPUT_TOKENS, 120L, OUTPUT_TOKENS, 30L));
        Span tool = start(agent, "execute_tool lookup_order", "execute_tool", 5);
        tool.setAttribute(TOOL_NAME, "lookup_order");
        end(tool, 9);
        child(agent, "chat gpt-4o second", "chat", 10, 18, Map.of(INPUT_TOKENS, 80L, OUTPUT_TOKENS, 20L));
        agent.setAttribute("metering.output.summary", "refund issued");
        end(agent, 20);
        List<SpanData> run = spansOf(agent);
        assertThat(run).hasSize(4);

        export(Encoding.PROTOBUF, run);
        assertThat(settle().tasksDecided()).isEqualTo(1);
        // the exporter retries a whole batch it had no answer for: the same spans again change nothing
        export(Encoding.PROTOBUF, run);
        assertThat(settle().tasksDecided()).isZero();

        JsonNode bundle = audit(agent);
        assertThat(bundle.path("task_id").asText()).isEqualTo("ticket-4711");
        assertThat(bundle.path("agent_id").asText()).isEqualTo("support-bot");
        assertThat(bundle.path("subscription_ref").asText()).isEqualTo("sub-a");
        assertThat(bundle.path("occurred_at").asText()).isEqualTo(at(20).toString());
        assertThat(bundle.path("decision").path("billable_units").asInt()).as(bundle.toString()).isEqualTo(1);
        assertThat(bundle.path("charge").path("state").asText()).isEqualTo("QUALIFIED");
        assertThat(bundle.path("evidence").path("outputs").path("terminal_success").asBoolean()).isTrue();
        assertThat(bundle.path("evidence").path("outputs").path("summary").asText()).isEqualTo("refund issued");
        JsonNode traces = bundle.path("evidence").path("traces");
        assertThat(traces).hasSize(4);
        assertThat(entry(traces, spanId(tool)).path("tool_name").asText()).isEqualTo("lookup_order");
        assertThat(entry(traces, spanId(tool)).path("parent_span_id").asText()).isEqualTo(spanId(agent));
        assertThat(entry(traces, spanId(agent)).path("started_at").asText()).isEqualTo(at(0).toString());

        assertThat(chargesOf("ticket-4711")).hasSize(1);
        JsonNode usage = usage("ticket-4711");
        assertThat(usage.path("tokens_in").asLong()).as(usage.toString()).isEqualTo(200);
        assertThat(usage.path("tokens_out").asLong()).isEqualTo(50);
        assertThat(usage.path("api_calls").asLong()).isEqualTo(1);
        assertThat(usage.path("duration_ms").asLong()).isEqualTo(20_000);
        assertThat(usage.path("consumer_id").asText()).isEqualTo("sub-a");
    }

    @Test
    void a_failed_run_with_error_type_is_decided_not_billable() {
        Span agent = agent("ticket-4712", "support-bot", 0);
        Span tool = start(agent, "execute_tool refund", "execute_tool", 1);
        tool.setAttribute(TOOL_NAME, "refund");
        tool.setAttribute(ERROR_TYPE, "timeout");
        tool.setStatus(StatusCode.ERROR, "payment gateway timed out");
        end(tool, 7);
        agent.setAttribute(ERROR_TYPE, "timeout");
        agent.setStatus(StatusCode.ERROR);
        end(agent, 8);

        export(Encoding.JSON, spansOf(agent));
        assertThat(settle().tasksDecided()).isEqualTo(1);

        JsonNode bundle = audit(agent);
        assertThat(bundle.path("decision").path("billable_units").asInt()).as(bundle.toString()).isZero();
        assertThat(bundle.path("charge").isNull()).as(bundle.toString()).isTrue();
        assertThat(bundle.path("evidence").path("outputs").path("terminal_success").asBoolean()).isFalse();
        assertThat(entry(bundle.path("evidence").path("traces"), spanId(agent)).path("error_type").asText())
                .isEqualTo("timeout");
        assertThat(entry(bundle.path("evidence").path("traces"), spanId(tool)).path("status").asText())
                .isEqualTo("error");
        assertThat(chargesOf("ticket-4712")).isEmpty();
        assertThat(usage("ticket-4712").path("api_calls").asLong()).isEqualTo(1);
    }

    @Test
    void a_nested_agent_is_part_of_the_outer_task_not_a_task_of_its_own() {
        Span outer = agent("ticket-4713", "triage-bot", 0);
        Span inner = start(outer, "invoke_agent researcher", "invoke_agent", 2);
        inner.setAttribute(AGENT_ID, "researcher");
        child(inner, "chat researcher", "chat", 3, 10, Map.of(INPUT_TOKENS, 500L, OUTPUT_TOKENS, 60L));
        end(inner, 12);
        child(outer, "chat triage", "chat", 14, 20, Map.of(INPUT_TOKENS, 40L, OUTPUT_TOKENS, 10L));
        outer.setAttribute("metering.output.answer", "escalated to tier 2");
        end(outer, 30);

        export(Encoding.JSON, spansOf(outer));
        SettleTracesResult settled = settle();
        assertThat(settled.tasksDecided()).as(settled.toString()).isEqualTo(1);
        assertThat(settled.nestedAgentSpans()).as(settled.toString()).isEqualTo(1);

        JsonNode bundle = audit(outer);
        assertThat(bundle.path("charge").path("state").asText()).as(bundle.toString()).isEqualTo("QUALIFIED");
        JsonNode traces = bundle.path("evidence").path("traces");
        assertThat(traces).hasSize(4);
        assertThat(entry(traces, spanId(inner)).path("parent_span_id").asText()).isEqualTo(spanId(outer));
        assertThat(app.get("/v1/audit/" + correlationId(inner), READER_A).status()).isEqualTo(404);
        assertThat(usage("ticket-4713").path("tokens_in").asLong()).isEqualTo(540);
        assertThat(usage("ticket-4713").path("tokens_out").asLong()).isEqualTo(70);
    }

    @Test
    void spans_split_over_exports_and_out_of_order_make_one_task_and_a_late_child_changes_nothing_billed() {
        Span agent = agent("ticket-4714", "support-bot", 0);
        Span tool = start(agent, "execute_tool search_kb", "execute_tool", 1);
        tool.setAttribute(TOOL_NAME, "search_kb");
        end(tool, 3);
        child(agent, "chat gpt-4o", "chat", 4, 9, Map.of(INPUT_TOKENS, 70L, OUTPUT_TOKENS, 25L));
        Span late = start(agent, "execute_tool send_email", "execute_tool", 10);
        late.setAttribute(TOOL_NAME, "send_email");
        end(late, 14);
        end(agent, 15);
        Map<String, SpanData> byName = byName(spansOf(agent));

        // the children first, in two exports and two encodings, then the agent span; nothing is decided before it
        export(Encoding.JSON, List.of(byName.get("chat gpt-4o")));
        export(Encoding.PROTOBUF, List.of(byName.get("execute_tool search_kb")));
        assertThat(settle().tasksDecided()).isZero();
        export(Encoding.JSON, List.of(byName.get("invoke_agent support-bot")));
        assertThat(settle().tasksDecided()).isEqualTo(1);
        JsonNode decided = audit(agent);
        assertThat(decided.path("evidence").path("traces")).hasSize(3);
        JsonNode usageBefore = usage("ticket-4714");
        assertThat(usageBefore.path("tokens_in").asLong()).isEqualTo(70);
        assertThat(usageBefore.path("api_calls").asLong()).isEqualTo(1);

        // a child the exporter sent only after the task was decided: shown with it, nothing billed changes
        export(Encoding.PROTOBUF, List.of(byName.get("execute_tool send_email")));
        assertThat(settle().tasksDecided()).isZero();
        JsonNode after = audit(agent);
        assertThat(after.path("decision")).isEqualTo(decided.path("decision"));
        assertThat(after.path("charge").path("state").asText()).isEqualTo("QUALIFIED");
        assertThat(after.path("charge").path("version")).isEqualTo(decided.path("charge").path("version"));
        assertThat(after.path("evidence")).isEqualTo(decided.path("evidence"));
        assertThat(after.path("late_spans")).hasSize(1);
        assertThat(after.path("late_spans").get(0).path("span_id").asText()).isEqualTo(spanId(late));
        assertThat(after.path("late_spans").get(0).path("tool_name").asText()).isEqualTo("send_email");
        assertThat(chargesOf("ticket-4714")).hasSize(1);
        assertThat(usage("ticket-4714")).isEqualTo(usageBefore);
    }

    // ---- recording runs with the SDK -------------------------------------------------------------------------------

    /** Every span the SDK ends, kept by name until a test exports it. */
    private static final class Recorder implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            spans.forEach(span -> ENDED.put(span.getTraceId() + "/" + span.getSpanId(), span));
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** The instant {@code seconds} after the start of every run: a minute before the test clock's reading. */
    private static Instant at(int seconds) {
        return TestApp.START.minus(Duration.ofMinutes(1)).plusSeconds(seconds);
    }

    /** An {@code invoke_agent} span of a new trace, started at {@code start}, to be ended by the test. */
    private static Span agent(String taskId, String agentId, int start) {
        Span span = TRACER.spanBuilder("invoke_agent " + agentId).setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(at(start)).startSpan();
        span.setAttribute(OPERATION, "invoke_agent");
        span.setAttribute(AGENT_ID, agentId);
        span.setAttribute(AGENT_VERSION, "1.4.0");
        span.setAttribute(TASK_ID, taskId);
        return span;
    }

    private static Span start(Span parent, String name, String operation, int start) {
        Span span = TRACER.spanBuilder(name).setParent(Context.root().with(parent))
                .setSpanKind(operation.equals("chat") ? SpanKind.CLIENT : SpanKind.INTERNAL)
                .setStartTimestamp(at(start)).startSpan();
        span.setAttribute(OPERATION, operation);
        return span;
    }

    private static void child(Span parent, String name, String operation, int start, int end,
                              Map<AttributeKey<Long>, Long> attributes) {
        Span span = start(parent, name, operation, start);
        attributes.forEach(span::setAttribute);
        end(span, end);
    }

    private static void end(Span span, int seconds) {
        span.end(at(seconds));
    }

    /** The ended spans of the span's trace. */
    private static List<SpanData> spansOf(Span span) {
        String trace = span.getSpanContext().getTraceId();
        return ENDED.values().stream().filter(s -> s.getTraceId().equals(trace)).toList();
    }

    private static Map<String, SpanData> byName(List<SpanData> spans) {
        Map<String, SpanData> byName = new ConcurrentHashMap<>();
        spans.forEach(s -> byName.put(s.getName(), s));
        return byName;
    }

    // ---- exporting with the SDK's OTLP/HTTP exporter ---------------------------------------------------------------

    /** Exports with the SDK's exporter; the service's span counter by encoding proves which encoding arrived. */
    private static void export(Encoding encoding, List<SpanData> spans) {
        double before = spansReceived(encoding);
        OtlpHttpSpanExporterBuilder builder = encoding == Encoding.JSON ? jsonExporter() : OtlpHttpSpanExporter.builder();
        try (OtlpHttpSpanExporter exporter = builder.setEndpoint("http://127.0.0.1:" + app.port + "/v1/traces")
                .addHeader("Authorization", "Bearer " + AGENT_A).build()) {
            CompletableResultCode result = exporter.export(new ArrayList<>(spans)).join(30, TimeUnit.SECONDS);
            assertThat(result.isSuccess()).as(encoding + " export of " + spans.size() + " spans: "
                    + result.getFailureThrowable()).isTrue();
        }
        assertThat(spansReceived(encoding) - before).as(encoding + " spans received").isEqualTo(spans.size());
    }

    private static double spansReceived(Encoding encoding) {
        var counter = app.registry.find("metering.trace.spans")
                .tag("encoding", encoding.name().toLowerCase(java.util.Locale.ROOT)).tag("result", "accepted").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The SDK's exporter writing OTLP JSON: the package-private constructor its public builder delegates to. */
    private static OtlpHttpSpanExporterBuilder jsonExporter() {
        try {
            Constructor<OtlpHttpSpanExporterBuilder> constructor = OtlpHttpSpanExporterBuilder.class
                    .getDeclaredConstructor(HttpExporterBuilder.class, MemoryMode.class);
            constructor.setAccessible(true);
            return constructor.newInstance(new HttpExporterBuilder(
                    StandardComponentId.ExporterType.OTLP_HTTP_SPAN_EXPORTER, "http://localhost:4318/v1/traces")
                    .exportAsJson(), MemoryMode.IMMUTABLE_DATA);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the SDK's JSON exporter could not be built", e);
        }
    }

    // ---- settling and reading back ---------------------------------------------------------------------------------

    /** As the scheduler does once the settle delay has passed. */
    private static SettleTracesResult settle() {
        app.clock.advance(PAST_SETTLE_DELAY);
        return app.useCases.settleTraces().settleDue();
    }

    private static String spanId(Span span) {
        return span.getSpanContext().getSpanId();
    }

    private static String correlationId(Span span) {
        return "otlp-" + span.getSpanContext().getTraceId() + "-" + spanId(span);
    }

    private static JsonNode audit(Span agent) {
        TestApp.Resp r = app.get("/v1/audit/" + correlationId(agent), READER_A);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode entry(JsonNode traces, String spanId) {
        for (JsonNode entry : traces) {
            if (entry.path("span_id").asText().equals(spanId)) {
                return entry;
            }
        }
        throw new AssertionError("no evidence entry of span " + spanId + " in " + traces);
    }

    private static List<JsonNode> chargesOf(String taskId) {
        TestApp.Resp r = app.get("/v1/charges?subscription_ref=sub-a&limit=1000", READER_A);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> charges = new ArrayList<>();
        r.json().path("data").forEach(charge -> {
            if (charge.path("task_id").asText().equals(taskId)) {
                charges.add(charge);
            }
        });
        return charges;
    }

    /** The one usage record of the task. */
    private static JsonNode usage(String taskId) {
        TestApp.Resp r = app.get("/v1/usage/" + taskId, READER_A);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode records = r.json().path("data");
        assertThat(records).as(r.toString()).hasSize(1);
        return records.get(0);
    }
}
