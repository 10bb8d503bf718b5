package io.taskmetering.bootstrap.system;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar as an OpenTelemetry receiver: an agent's SDK, configured as an operator would (the endpoint, a Bearer header,
 * gzip, the batch span processor), exports a run to {@code /v1/traces}; the service's own scheduler settles it within
 * seconds, with no call from the test, and the run is a charge with its trace as evidence and a usage record. The key
 * is scoped to one subscription and the spans name none: the key's subscription is the one metered.
 */
class TraceExportIT {
    private static final String AGENT_KEY = "agent-key-trace-system-0001";
    private static final String READER_KEY = "reader-key-trace-system-0001";

    @Test
    void anAgentRunExportedByTheSdkIsSettledByTheSchedulerAndCharged() {
        String subscription = SystemTests.subscription();
        String task = "ticket-" + UUID.randomUUID();
        Map<String, String> env = new LinkedHashMap<>(SystemTests.h2File("traces").env());
        env.put("METERING_API_KEYS", "agent:" + AGENT_KEY + ":" + subscription + ",reader:" + READER_KEY + ":" + subscription);
        env.put("METERING_OTLP_SETTLE_DELAY", "PT1S");
        ServiceProcess service = ServiceProcess.serve("traces", env).awaitReady();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "support-bot")))
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                        .setEndpoint(service.baseUrl() + "/v1/traces")
                        .addHeader("Authorization", "Bearer " + AGENT_KEY)
                        .setCompression("gzip")
                        .build()).build())
                .build();
        try {
            Tracer tracer = provider.get("io.taskmetering.system");
            Span agent = tracer.spanBuilder("invoke_agent support-bot").setSpanKind(SpanKind.INTERNAL).startSpan();
            agent.setAttribute("gen_ai.operation.name", "invoke_agent");
            agent.setAttribute("metering.task_id", task);
            Span chat = tracer.spanBuilder("chat gpt-4o").setParent(Context.root().with(agent))
                    .setSpanKind(SpanKind.CLIENT).startSpan();
            chat.setAttribute("gen_ai.operation.name", "chat");
            chat.setAttribute(AttributeKey.longKey("gen_ai.usage.input_tokens"), 300L);
            chat.setAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), 40L);
            chat.end();
            Span tool = tracer.spanBuilder("execute_tool lookup_order").setParent(Context.root().with(agent)).startSpan();
            tool.setAttribute("gen_ai.operation.name", "execute_tool");
            tool.setAttribute("gen_ai.tool.name", "lookup_order");
            tool.end();
            agent.setAttribute("metering.output.summary", "refund issued");
            agent.end();
            assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).as("exported").isTrue();

            Api reader = new Api(service.baseUrl(), READER_KEY);
            String correlationId = "otlp-" + agent.getSpanContext().getTraceId() + "-" + agent.getSpanContext().getSpanId();
            Map<String, Object> bundle = SystemTests.await("the run decided by the scheduler", Duration.ofSeconds(30),
                    () -> {
                        Api.Response r = reader.get("/v1/audit/" + correlationId);
                        return r.status() == 200 ? r.json() : null;
                    });
            assertThat(bundle.get("task_id")).isEqualTo(task);
            assertThat(bundle.get("subscription_ref")).isEqualTo(subscription);
            assertThat(bundle.get("agent_id")).isEqualTo("support-bot");
            assertThat(((Map<?, ?>) bundle.get("charge")).get("state")).isEqualTo("QUALIFIED");
            assertThat((List<?>) ((Map<?, ?>) bundle.get("evidence")).get("traces")).hasSize(3);
            Map<?, ?> usage = (Map<?, ?>) reader.get("/v1/usage/" + task).expect(200).data().get(0);
            assertThat(usage.get("tokens_in")).isEqualTo(300L);
            assertThat(usage.get("api_calls")).isEqualTo(1L);
            service.awaitLog("event=trace_settle_run tasks_decided=1", Duration.ofSeconds(10));
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
            service.stop();
        }
    }
}
