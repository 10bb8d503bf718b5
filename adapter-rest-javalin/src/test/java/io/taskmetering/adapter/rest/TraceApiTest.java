package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.taskmetering.application.port.out.StorageException;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.trace.ParentLocality;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_B;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/traces} on a real server: OTLP JSON from hand-written fixtures (upper-case hex ids, 64-bit integers
 * as strings and numbers, unknown fields, spans that cannot be used), binary protobuf, gzip, and every refusal in the
 * encoding OTLP/HTTP asks for: a {@code google.rpc.Status} for errors, {@code partialSuccess} for refused spans.
 */
class TraceApiTest {
    private static final long BODY_LIMIT = 64 * 1024;

    @RegisterExtension
    static final TestApp app = new TestApp(RestConfig.withKeys(TestApp.keys()).withMaxTraceBodyBytes(BODY_LIMIT),
            BillingPolicy.defaults(PlanId.of("plan-basic")));

    private static final List<Socket> HELD = new ArrayList<>();

    @AfterAll
    static void closeHeldUploads() throws IOException {
        for (Socket socket : HELD) {
            socket.close();
        }
    }

    // ---- OTLP JSON -------------------------------------------------------------------------------------------------

    @Test
    void upper_case_hex_ids_int64_strings_and_unknown_fields_are_accepted_and_the_task_is_keyed_in_lower_case() {
        TestApp.Resp r = postJson(AGENT_A, fixture("upper-case-ids.json"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.json().size()).as("a full success is an empty response: " + r).isZero();

        app.clock.advance(Duration.ofMinutes(1));
        app.useCases.settleTraces().settleDue();
        TestApp.Resp charges = app.get("/v1/charges?subscription_ref=sub-a", READER_A);
        assertThat(charges.text()).as(charges.toString())
                .contains("5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174")
                .doesNotContain("5B8EFFF798038103D269B633813FC60C");
    }

    @Test
    void the_same_export_again_changes_nothing() {
        String export = fixture("upper-case-ids.json").replace("5B8EFFF7", "6B8EFFF7").replace("5b8efff7", "6b8efff7");
        assertThat(postJson(AGENT_A, export).status()).isEqualTo(200);
        var before = app.rowCounts();
        TestApp.Resp again = postJson(AGENT_A, export);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().size()).as(again.toString()).isZero();
        assertThat(app.rowCounts()).isEqualTo(before);
    }

    @Test
    void a_span_without_subscription_is_a_partial_success_naming_the_attribute() {
        TestApp.Resp r = postJson(ADMIN, fixture("without-subscription.json"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode partial = r.json().path("partialSuccess");
        assertThat(partial.path("rejectedSpans").asText()).as(r.toString()).isEqualTo("1");
        assertThat(partial.path("errorMessage").asText()).as(r.toString())
                .contains("resourceSpans[0].scopeSpans[0].spans[0]").contains("metering.subscription_ref");
    }

    @Test
    void a_key_of_one_subscription_meters_it_for_spans_that_name_none() {
        TestApp.Resp r = postJson(AGENT_A, fixture("without-subscription.json").replace("0af76519", "1af76519"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().size()).as(r.toString()).isZero();
    }

    @Test
    void a_span_of_a_subscription_outside_the_key_is_rejected_and_nothing_is_kept() {
        String export = fixture("upper-case-ids.json").replace("5B8EFFF7", "7B8EFFF7").replace("5b8efff7", "7b8efff7");
        var before = app.rowCounts();
        TestApp.Resp r = postJson(AGENT_B, export);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("partialSuccess").path("rejectedSpans").asText()).as(r.toString()).isEqualTo("2");
        assertThat(app.rowCounts()).isEqualTo(before);
    }

    @Test
    void spans_with_unusable_ids_or_times_are_rejected_each_naming_its_field_and_the_others_are_kept() {
        TestApp.Resp r = postJson(ADMIN, fixture("unusable-ids.json"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode partial = r.json().path("partialSuccess");
        assertThat(partial.path("rejectedSpans").asText()).as(r.toString()).isEqualTo("4");
        assertThat(partial.path("errorMessage").asText()).as(r.toString())
                .startsWith("4 of 5 spans rejected: ")
                .contains("resourceSpans[0].scopeSpans[0].spans[0].traceId")
                .contains("resourceSpans[0].scopeSpans[0].spans[1].traceId")
                .contains("resourceSpans[0].scopeSpans[0].spans[2].spanId")
                .contains("resourceSpans[0].scopeSpans[0].spans[3].endTimeUnixNano")
                .doesNotContain("spans[4]");
    }

    @Test
    void the_error_message_of_many_rejected_spans_is_capped_and_counts_them_all() {
        StringBuilder spans = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            spans.append(i == 0 ? "" : ",").append("{\"traceId\": \"00\", \"spanId\": \"b7ad6b7169203331\"}");
        }
        TestApp.Resp r = postJson(ADMIN, "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [" + spans + "]}]}]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode partial = r.json().path("partialSuccess");
        assertThat(partial.path("rejectedSpans").asText()).isEqualTo("200");
        assertThat(partial.path("errorMessage").asText()).startsWith("200 of 200 spans rejected: ")
                .hasSize(TraceRoutes.MAX_ERROR_MESSAGE_LENGTH).endsWith("…");
    }

    @Test
    void a_gzip_export_is_accepted() {
        String export = fixture("upper-case-ids.json").replace("5B8EFFF7", "8B8EFFF7").replace("5b8efff7", "8b8efff7");
        TestApp.Resp r = app.send(app.request(TraceRoutes.PATH, AGENT_A).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzip(utf8(export)))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().size()).as(r.toString()).isZero();
    }

    // ---- protobuf --------------------------------------------------------------------------------------------------

    @Test
    void a_protobuf_export_is_answered_in_protobuf_with_the_parent_locality_from_the_flags() throws IOException {
        byte[] trace = HexFormat.of().parseHex("9af7651916cd43dd8448eb211c80319c");
        Span agent = span(trace, "00f067aa0ba902b7", null, "invoke_agent", 0x100);
        Span remoteChild = span(trace, "00f067aa0ba902b8", "00f067aa0ba902b7", "chat", 0x300);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attribute("metering.subscription_ref", "sub-a"))
                                .addAttributes(attribute("service.name", "support-bot")))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(agent).addSpans(remoteChild)
                                .addSpans(span(trace, "0000000000000000", null, "zero span id", 0))))
                .build();
        TestApp.Resp r = postProtobuf(AGENT_A, request.toByteArray());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/x-protobuf");
        ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.raw().body());
        assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("spans[2].spanId");

        assertThat(OtlpSpans.locality(0x100)).isEqualTo(ParentLocality.LOCAL);
        assertThat(OtlpSpans.locality(0x300)).isEqualTo(ParentLocality.REMOTE);
        assertThat(OtlpSpans.locality(0x200)).as("bit 9 without bit 8 says nothing").isEqualTo(ParentLocality.UNKNOWN);
        assertThat(OtlpSpans.locality(0x01)).isEqualTo(ParentLocality.UNKNOWN);
    }

    @Test
    void an_undecodable_protobuf_body_is_a_400_status_in_protobuf() throws IOException {
        TestApp.Resp r = postProtobuf(AGENT_A, new byte[]{0x0a, (byte) 0xff, 0x01});
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/x-protobuf");
        Status status = Status.parse(r.raw().body());
        assertThat(status.code()).isEqualTo(3);
        assertThat(status.message()).startsWith("body: is not a protobuf ExportTraceServiceRequest");
    }

    // ---- refusals --------------------------------------------------------------------------------------------------

    @Test
    void an_undecodable_json_body_is_a_400_status_naming_the_field() {
        TestApp.Resp notJson = postJson(AGENT_A, "{\"resourceSpans\": [");
        assertStatus(notJson, 400, "body");
        TestApp.Resp wrongType = postJson(AGENT_A, "{\"resourceSpans\": [{\"scopeSpans\": {\"spans\": []}}]}");
        assertStatus(wrongType, 400, "resourceSpans[0].scopeSpans");
        TestApp.Resp badValue = postJson(AGENT_A, "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\":"
                + " \"0af7651916cd43dd8448eb211c80319c\", \"spanId\": \"b7ad6b7169203331\", \"startTimeUnixNano\":"
                + " \"soon\"}]}]}]}");
        assertStatus(badValue, 400, "body: does not follow the OTLP JSON encoding");
        TestApp.Resp notGzip = app.send(app.request(TraceRoutes.PATH, AGENT_A).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertStatus(notGzip, 400, "gzip");
    }

    @Test
    void over_the_limit_is_a_413_status_and_a_gzip_bomb_is_never_inflated_past_it() {
        byte[] big = utf8("{\"resourceSpans\": []" + " ".repeat((int) BODY_LIMIT) + "}");
        assertStatus(postBytes(AGENT_A, big, false), 413, "body");
        byte[] bomb = gzip(big);
        assertThat(bomb.length).as("compressed").isLessThan(1024);
        assertStatus(postBytes(AGENT_A, bomb, true), 413, "body");
    }

    @Test
    void an_export_over_the_native_body_limit_but_within_the_otlp_limit_is_accepted() {
        try (TestApp defaults = new TestApp().start()) {
            String payload = "x".repeat((int) (3 * RestConfig.DEFAULT_MAX_BODY_BYTES));
            String export = "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": "
                    + "\"2af7651916cd43dd8448eb211c80319c\", \"spanId\": \"b7ad6b7169203331\", \"name\": \"chat\", "
                    + "\"startTimeUnixNano\": \"1772446500000000000\", \"endTimeUnixNano\": \"1772446505000000000\", "
                    + "\"attributes\": [{\"key\": \"app.payload\", \"value\": {\"stringValue\": \"" + payload
                    + "\"}}]}]}]}]}";
            TestApp.Resp r = defaults.send(defaults.request(TraceRoutes.PATH, AGENT_A)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(export)));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().size()).as(r.toString()).isZero();
        }
    }

    @Test
    void a_content_type_that_is_not_otlp_is_a_415_problem_and_an_unknown_encoding_a_415_status() {
        TestApp.Resp text = app.send(app.request(TraceRoutes.PATH, AGENT_A).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(text.status()).as(text.toString()).isEqualTo(415);
        assertThat(text.contentType()).startsWith(Problem.CONTENT_TYPE);
        assertThat(text.errorFields()).containsExactly("Content-Type");
        TestApp.Resp brotli = app.send(app.request(TraceRoutes.PATH, AGENT_A).header("Content-Type", "application/json")
                .header("Content-Encoding", "br").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertStatus(brotli, 415, "Content-Encoding");
    }

    @Test
    void a_reader_key_is_refused_with_a_403_status_and_no_key_with_a_401_status() {
        assertStatus(postJson(READER_A, "{}"), 403, "role agent or admin");
        TestApp.Resp anonymous = postJson(null, "{}");
        assertStatus(anonymous, 401, "Authorization");
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void exports_beyond_those_being_decoded_are_refused_with_429_and_retry_after() throws IOException {
        // Uploads that never finish hold their decoding slots (the slot is taken before the body is read).
        for (int i = 0; i < TraceRoutes.MAX_CONCURRENT_EXPORTS; i++) {
            HELD.add(slowUpload());
        }
        try {
            TestApp.Resp r = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                r = postJson(AGENT_A, "{}");
                if (r.status() == 429) {
                    break;
                }
                sleep(100); // until every held upload reached the handler
            }
            assertStatus(r, 429, "Retry-After");
            assertThat(r.header("Retry-After")).isEqualTo("1");
        } finally {
            closeHeldUploads();
            HELD.clear();
        }
        TestApp.Resp after = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            after = postJson(AGENT_A, "{}");
            if (after.status() == 200) {
                break;
            }
            sleep(100); // until the server noticed the closed uploads
        }
        assertThat(after.status()).as("slots free again: " + after).isEqualTo(200);
    }

    @Test
    void storage_unavailable_is_a_503_status_with_retry_after_and_nothing_kept() {
        try (TestApp failing = new TestApp(RestConfig.withKeys(TestApp.keys()), BillingPolicy.defaults(PlanId.of("p")),
                real -> withIngest(real, command -> {
                    throw new StorageException("connection refused", true, null);
                })).start()) {
            TestApp.Resp r = failing.send(failing.request(TraceRoutes.PATH, AGENT_A)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(fixture("upper-case-ids.json"))));
            assertStatus(r, 503, "retry later");
            assertThat(r.header("Retry-After")).isEqualTo("1");
            assertThat(r.text()).doesNotContain("connection refused");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static void assertStatus(TestApp.Resp r, int status, String named) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/json");
        assertThat(r.json().path("code").asInt()).as(r.toString()).isEqualTo(OtlpEncoding.grpcCode(status));
        assertThat(r.json().path("message").asText()).as(r.toString()).contains(named)
                .doesNotContain("Exception", "java.", "com.google", "opentelemetry.proto");
        assertThat(r.header(RestApi.REQUEST_ID_HEADER)).isNotBlank();
    }

    /** google.rpc.Status read from its wire form: code (1) and message (2). */
    private record Status(int code, String message) {
        static Status parse(byte[] bytes) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            int code = 0;
            String message = "";
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag >>> 3) {
                    case 1 -> code = in.readInt32();
                    case 2 -> message = in.readString();
                    default -> in.skipField(tag);
                }
            }
            return new Status(code, message);
        }
    }

    private static UseCases withIngest(UseCases u, io.taskmetering.application.port.in.IngestTracesUseCase ingest) {
        return new UseCases(u.recordOutcome(), u.recordOutcomeBatch(), u.evaluateOutcome(), u.reviewCharge(),
                u.disputeCharge(), u.resolveDispute(), u.closeHours(), u.submitUsageEvents(), u.recordUsage(),
                u.purgeExpired(), u.charges(), u.usage(), u.usageEvents(), u.createContractVersion(),
                u.activateContract(), u.contracts(), u.startShadow(), u.stopShadow(), u.shadows(), u.replays(),
                u.insights(), u.reconcile(), u.reconciliations(), ingest);
    }

    private static Span span(byte[] trace, String spanId, String parent, String operation, int flags) {
        Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(trace))
                .setSpanId(ByteString.fromHex(spanId)).setName(operation).setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setFlags(flags)
                .setStartTimeUnixNano(1772446500000000000L).setEndTimeUnixNano(1772446505000000000L)
                .addAttributes(attribute("gen_ai.operation.name", operation));
        if (parent != null) {
            span.setParentSpanId(ByteString.fromHex(parent));
        }
        return span.build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    /** An upload whose headers promise more body than it sends, left open. */
    private static Socket slowUpload() throws IOException {
        Socket socket = new Socket("127.0.0.1", app.port);
        OutputStream out = socket.getOutputStream();
        out.write(utf8("POST " + TraceRoutes.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + AGENT_A
                + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"resourceSpans\": ["));
        out.flush();
        return socket;
    }

    private static TestApp.Resp postJson(String key, String json) {
        HttpRequest.Builder request = app.request(TraceRoutes.PATH, key).header("Content-Type", "application/json");
        return app.send(request.POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static TestApp.Resp postProtobuf(String key, byte[] body) {
        return app.send(app.request(TraceRoutes.PATH, key).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static TestApp.Resp postBytes(String key, byte[] body, boolean gzip) {
        HttpRequest.Builder request = app.request(TraceRoutes.PATH, key).header("Content-Type", "application/json");
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        return app.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static String fixture(String name) {
        try (InputStream in = TraceApiTest.class.getResourceAsStream("/otlp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
