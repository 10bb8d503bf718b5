package io.taskmetering.bootstrap;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.taskmetering.application.port.in.SettleTracesResult;
import io.taskmetering.bootstrap.Bench.Kind;
import io.taskmetering.bootstrap.Bench.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench --mode otlp}: the workload of {@link Bench} as OpenTelemetry agent traces, exported to
 * {@code POST /v1/traces} of the real service in binary protobuf or OTLP JSON. Each task is one trace of four spans
 * (an {@code invoke_agent} span with two inference spans and one tool span); a billable run ends well, a failed one
 * with {@code error.type}, an empty one with an empty output, a retry is a new trace of an earlier billable task.
 * The export is timed (spans/s), then the settle run that decides every task (tasks/s); the database must then hold
 * exactly the expected charges. Settling runs after the export, not beside it, so each number is the cost of one step.
 */
final class OtlpBench {
    static final int SPANS_PER_TASK = 4;

    private OtlpBench() {
    }

    static int run(Bench.Options options, PrintStream out, PrintStream err) {
        boolean json = options.encoding().equals("json");
        List<Spec> warmup = Bench.workload(options.warmup(), 7, "warmup-");
        List<Spec> specs = Bench.workload(options.outcomes(), 42);
        long expected = Bench.expectedBilled(warmup) + Bench.expectedBilled(specs);
        Map<String, String> settings = new HashMap<>();
        settings.put("METERING_DB_URL", options.db());
        settings.put("METERING_HTTP_PORT", "0");
        settings.put("METERING_SUBMIT_INTERVAL", "PT1H");
        // the bench settles by itself, timed apart from the export, as soon as every span is in
        settings.put("METERING_OTLP_SETTLE_DELAY", "PT0S");
        settings.put("METERING_OTLP_SETTLE_INTERVAL", "PT1H");
        settings.put("METERING_DB_POOL_SIZE", Integer.toString(Math.max(4, options.concurrency() + 2)));
        MeteringConfig config = MeteringConfig.load(ConfigSource.ofMap(settings));
        err.printf("bench: %d traced tasks (%d spans) after a warm-up of %d, encoding %s, %d tasks per export,"
                        + " concurrency %d, db %s%n", options.outcomes(), options.outcomes() * SPANS_PER_TASK,
                options.warmup(), options.encoding(), options.batch(), options.concurrency(), Redactor.text(options.db()));
        try (MeteringService service = MeteringService.serve(config, Clock.systemUTC())) {
            Exporter exporter = new Exporter(URI.create("http://127.0.0.1:" + service.port() + "/v1/traces"), json,
                    new Random(42).nextLong());
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicLong maxHeap = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            // Not timed: the JIT compiles the paths and the caches fill, so the measured run is the steady state.
            Bench.drive(warmup, options, exporter::send, new long[Bench.batchCount(warmup, options)], failures, maxHeap, err,
                    "traced tasks");
            settleAll(service);
            long[] latencies = new long[Bench.batchCount(specs, options)];
            long start = System.nanoTime();
            Bench.drive(specs, options, exporter::send, latencies, failures, maxHeap, err, "traced tasks");
            double exportSeconds = (System.nanoTime() - start) / 1e9;
            long settleStart = System.nanoTime();
            long decided = settleAll(service);
            double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
            maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            long billed = Bench.countCharges(service);
            Arrays.sort(latencies);
            long spans = (long) specs.size() * SPANS_PER_TASK;
            boolean correct = billed == expected && failures.get() == 0 && decided == specs.size();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("tasks", (long) specs.size());
            result.put("spans", spans);
            result.put("warmup_tasks", (long) warmup.size());
            result.put("encoding", options.encoding());
            result.put("tasks_per_export", (long) options.batch());
            result.put("concurrency", (long) options.concurrency());
            result.put("export_seconds", Bench.round(exportSeconds));
            result.put("spans_per_s", Bench.round(spans / exportSeconds));
            result.put("tasks_exported_per_s", Bench.round(specs.size() / exportSeconds));
            result.put("export_p50_ms", Bench.round(Bench.percentile(latencies, 0.50)));
            result.put("export_p99_ms", Bench.round(Bench.percentile(latencies, 0.99)));
            result.put("settle_seconds", Bench.round(settleSeconds));
            result.put("tasks_settled_per_s", Bench.round(decided / settleSeconds));
            result.put("tasks_per_s_end_to_end", Bench.round(specs.size() / (exportSeconds + settleSeconds)));
            result.put("tasks_decided", decided);
            result.put("billed", billed);
            result.put("expected_billed", expected);
            result.put("correct", correct);
            result.put("failed_exports_or_rejected_spans", failures.get());
            result.put("max_heap_used_mib", maxHeap.get() / (1024 * 1024));
            out.println(Bench.toJson(result));
            return correct ? 0 : 1;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("bench worker failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            Bench.deleteScratch(options.scratchFile(), err);
        }
    }

    /** Settles until nothing is due; every task's agent span is a root, so none waits. Returns the tasks decided. */
    private static long settleAll(MeteringService service) {
        long decided = 0;
        SettleTracesResult run;
        do {
            run = service.useCases().settleTraces().settleDue();
            decided += run.tasksDecided();
        } while (run.tasksDecided() > 0);
        return decided;
    }

    /** Builds one export of traces, as an SDK would, and sends it; answers how many spans did not go in. */
    private static final class Exporter {
        private static final String[] SPAN_IDS = {"a000000000000001", "a000000000000002", "a000000000000003",
                "a000000000000004"};
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI endpoint;
        private final boolean json;
        private final long run;
        private final AtomicLong traces = new AtomicLong();

        Exporter(URI endpoint, boolean json, long run) {
            this.endpoint = endpoint;
            this.json = json;
            this.run = run;
        }

        long send(List<Spec> batch, int index) throws IOException, InterruptedException {
            Instant end = Instant.now().minusSeconds(30);
            List<Trace> spans = new ArrayList<>(batch.size());
            for (Spec spec : batch) {
                spans.add(new Trace(String.format("%016x%016x", run, traces.incrementAndGet()), spec, end));
            }
            byte[] body = json ? json(spans) : protobuf(spans);
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(endpoint)
                    .header("Content-Type", json ? "application/json" : "application/x-protobuf")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return (long) batch.size() * SPANS_PER_TASK;
            }
            return rejected(response.body());
        }

        private long rejected(byte[] answer) throws InvalidProtocolBufferException {
            if (json) {
                Object partial = new ApiClient.Response(200, new String(answer, StandardCharsets.UTF_8)).json()
                        .get("partialSuccess");
                return partial == null ? 0 : Long.parseLong(String.valueOf(((Map<?, ?>) partial).get("rejectedSpans")));
            }
            return ExportTraceServiceResponse.parseFrom(answer).getPartialSuccess().getRejectedSpans();
        }

        /** One task's trace: which spans, named by index in {@link #SPAN_IDS} (0 is the agent span). */
        private record Trace(String traceId, Spec spec, Instant end) {
            long nanos(int secondsBeforeEnd) {
                Instant at = end.minusSeconds(secondsBeforeEnd);
                return at.getEpochSecond() * 1_000_000_000L + at.getNano();
            }
        }

        private static byte[] protobuf(List<Trace> traces) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            for (Trace trace : traces) {
                ByteString traceId = ByteString.fromHex(trace.traceId());
                ByteString agentId = ByteString.fromHex(SPAN_IDS[0]);
                Span.Builder agent = Span.newBuilder().setTraceId(traceId).setSpanId(agentId)
                        .setName("invoke_agent agent-bench").setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setFlags(0x100)
                        .setStartTimeUnixNano(trace.nanos(10)).setEndTimeUnixNano(trace.nanos(0))
                        .addAttributes(text("gen_ai.operation.name", "invoke_agent"))
                        .addAttributes(text("gen_ai.agent.id", "agent-bench"))
                        .addAttributes(text("metering.task_id", trace.spec().taskId()))
                        .addAttributes(text("metering.subscription_ref", trace.spec().subscription()))
                        .addAttributes(text("metering.output.result",
                                trace.spec().kind() == Kind.EMPTY ? "" : "Summary generated"));
                if (trace.spec().kind() == Kind.FAILED) {
                    agent.addAttributes(text("error.type", "timeout"))
                            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
                }
                scope.addSpans(agent);
                for (int child = 1; child < SPANS_PER_TASK; child++) {
                    boolean tool = child == SPANS_PER_TASK - 1;
                    Span.Builder span = Span.newBuilder().setTraceId(traceId)
                            .setSpanId(ByteString.fromHex(SPAN_IDS[child])).setParentSpanId(agentId)
                            .setName(tool ? "execute_tool search" : "chat model-bench").setFlags(0x100)
                            .setKind(tool ? Span.SpanKind.SPAN_KIND_INTERNAL : Span.SpanKind.SPAN_KIND_CLIENT)
                            .setStartTimeUnixNano(trace.nanos(9 - 3 * child)).setEndTimeUnixNano(trace.nanos(7 - 3 * child))
                            .addAttributes(text("gen_ai.operation.name", tool ? "execute_tool" : "chat"));
                    if (tool) {
                        span.addAttributes(text("gen_ai.tool.name", "search"));
                    } else {
                        span.addAttributes(integer("gen_ai.usage.input_tokens", 100))
                                .addAttributes(integer("gen_ai.usage.output_tokens", 20));
                    }
                    scope.addSpans(span);
                }
            }
            return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(text("service.name", "agent-bench")))
                    .addScopeSpans(scope)).build().toByteArray();
        }

        private static KeyValue text(String key, String value) {
            return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
        }

        private static KeyValue integer(String key, long value) {
            return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
        }

        /** The same export in OTLP JSON: hex ids, integer enums, 64-bit integers as strings. */
        private static byte[] json(List<Trace> traces) {
            List<Object> spans = new ArrayList<>();
            for (Trace trace : traces) {
                List<Object> attributes = new ArrayList<>(List.of(
                        jsonText("gen_ai.operation.name", "invoke_agent"), jsonText("gen_ai.agent.id", "agent-bench"),
                        jsonText("metering.task_id", trace.spec().taskId()),
                        jsonText("metering.subscription_ref", trace.spec().subscription()),
                        jsonText("metering.output.result", trace.spec().kind() == Kind.EMPTY ? "" : "Summary generated")));
                Map<String, Object> agent = new LinkedHashMap<>();
                agent.put("traceId", trace.traceId());
                agent.put("spanId", SPAN_IDS[0]);
                agent.put("name", "invoke_agent agent-bench");
                agent.put("kind", 1);
                agent.put("flags", 0x100);
                agent.put("startTimeUnixNano", Long.toString(trace.nanos(10)));
                agent.put("endTimeUnixNano", Long.toString(trace.nanos(0)));
                if (trace.spec().kind() == Kind.FAILED) {
                    attributes.add(jsonText("error.type", "timeout"));
                    agent.put("status", Map.of("code", 2));
                }
                agent.put("attributes", attributes);
                spans.add(agent);
                for (int child = 1; child < SPANS_PER_TASK; child++) {
                    boolean tool = child == SPANS_PER_TASK - 1;
                    Map<String, Object> span = new LinkedHashMap<>();
                    span.put("traceId", trace.traceId());
                    span.put("spanId", SPAN_IDS[child]);
                    span.put("parentSpanId", SPAN_IDS[0]);
                    span.put("name", tool ? "execute_tool search" : "chat model-bench");
                    span.put("kind", tool ? 1 : 3);
                    span.put("flags", 0x100);
                    span.put("startTimeUnixNano", Long.toString(trace.nanos(9 - 3 * child)));
                    span.put("endTimeUnixNano", Long.toString(trace.nanos(7 - 3 * child)));
                    span.put("attributes", tool
                            ? List.of(jsonText("gen_ai.operation.name", "execute_tool"), jsonText("gen_ai.tool.name", "search"))
                            : List.of(jsonText("gen_ai.operation.name", "chat"), jsonInteger("gen_ai.usage.input_tokens", 100),
                            jsonInteger("gen_ai.usage.output_tokens", 20)));
                    spans.add(span);
                }
            }
            Map<String, Object> resource = Map.of("attributes", List.of(jsonText("service.name", "agent-bench")));
            return ApiClient.json(Map.of("resourceSpans", List.of(Map.of("resource", resource,
                    "scopeSpans", List.of(Map.of("spans", spans)))))).getBytes(StandardCharsets.UTF_8);
        }

        private static Map<String, Object> jsonText(String key, String value) {
            return Map.of("key", key, "value", Map.of("stringValue", value));
        }

        private static Map<String, Object> jsonInteger(String key, long value) {
            return Map.of("key", key, "value", Map.of("intValue", Long.toString(value)));
        }
    }
}
