package io.taskmetering.adapter.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.taskmetering.adapter.rest.OtlpJson.SpanPosition;
import io.taskmetering.application.port.in.IngestTracesCommand;
import io.taskmetering.application.port.in.IngestTracesResult;
import io.taskmetering.domain.common.SubscriptionRef;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /v1/traces}: OTLP/HTTP trace export, in binary protobuf or OTLP JSON, optionally gzip-compressed. The
 * spans are kept by {@link io.taskmetering.application.port.in.IngestTracesUseCase} and decided later, once settled;
 * the answer says how many spans were refused and why ({@code partialSuccess}), always with 200, since an exporter
 * must not retry bad data. Errors are {@code google.rpc.Status} in the request's encoding ({@link ErrorMapper}).
 *
 * <p>Decoding an export holds its whole body, the parsed message and the spans in memory at once, so at most
 * {@link #MAX_CONCURRENT_EXPORTS} are decoded at the same time; another one is answered 429 with {@code Retry-After},
 * which OTLP exporters honour.
 */
final class TraceRoutes {
    static final String PATH = "/v1/traces";
    static final int MAX_CONCURRENT_EXPORTS = Math.max(4, Runtime.getRuntime().availableProcessors());
    /** An exporter logs the message; a few reasons are enough to act on, the count says how many there were. */
    static final int MAX_ERROR_MESSAGE_LENGTH = 1024;
    static final String RETRY_AFTER_SECONDS = "1";

    private final UseCases useCases;
    private final MeteringMetrics metrics;
    private final long maxBodyBytes;
    private final OtlpJson otlpJson;
    private final Semaphore exports = new Semaphore(MAX_CONCURRENT_EXPORTS);

    TraceRoutes(UseCases useCases, MeteringMetrics metrics, RestConfig config) {
        this.useCases = useCases;
        this.metrics = metrics;
        this.maxBodyBytes = config.maxTraceBodyBytes();
        this.otlpJson = new OtlpJson(new Json(maxBodyBytes));
    }

    List<Route> routes() {
        return List.of(Route.post(PATH, Access.REPORT, this::export));
    }

    private void export(Exchange ex) {
        ex.noQuery();
        String contentType = ex.ctx().header("Content-Type");
        OtlpEncoding encoding = OtlpEncoding.of(contentType).orElseThrow(() -> new ApiException(415,
                "Unsupported Media Type", "Content-Type must be application/x-protobuf or application/json, was "
                + (contentType == null ? "absent" : "'" + contentType + "'"),
                List.of(new Problem.FieldError("Content-Type", "must be application/x-protobuf or application/json"))));
        if (!exports.tryAcquire()) {
            metrics.recordTraceExportThrottled();
            throw ApiException.tooManyRequests("more than " + MAX_CONCURRENT_EXPORTS
                    + " trace exports are being decoded; send again after Retry-After");
        }
        try {
            byte[] body = decoded(ex);
            OtlpSpans.Mapped mapped;
            if (encoding == OtlpEncoding.PROTOBUF) {
                mapped = OtlpSpans.map(protobuf(body), Map.of());
            } else {
                OtlpJson.Read read = otlpJson.read(body);
                mapped = OtlpSpans.map(read.request(), read.rejected());
            }
            IngestTracesResult result = mapped.spans().isEmpty()
                    ? new IngestTracesResult(0, List.of())
                    : useCases.ingestTraces().ingest(new IngestTracesCommand(mapped.spans(), scope(ex.caller())));
            List<String> reasons = new ArrayList<>();
            mapped.rejected().values().forEach(reasons::add);
            for (IngestTracesResult.SpanRejection rejection : result.rejected()) {
                SpanPosition position = mapped.position(rejection.traceId(), rejection.spanId());
                reasons.add((position == null ? "span " + rejection.spanId() : position.path()) + ": "
                        + rejection.reason());
            }
            metrics.recordSpans(encoding.name().toLowerCase(Locale.ROOT), result.acceptedSpans(), reasons.size());
            ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
            if (!reasons.isEmpty()) {
                response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                        .setRejectedSpans(reasons.size())
                        .setErrorMessage(errorMessage(reasons, mapped.total())));
            }
            ex.ctx().status(200).contentType(encoding.mediaType()).result(encoding.write(response.build()));
        } finally {
            exports.release();
        }
    }

    /** The subscriptions the key may meter; empty for an unscoped key (or the loopback caller). */
    private static Set<SubscriptionRef> scope(Caller caller) {
        return caller == null ? Set.of()
                : caller.subscriptions().stream().map(SubscriptionRef::new).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The body, gunzipped when {@code Content-Encoding: gzip}; either way at most the limit (413 beyond), and a
     * compressed body is never inflated past it, whatever it claims.
     */
    private byte[] decoded(Exchange ex) {
        byte[] sent = ex.readBody(maxBodyBytes);
        String contentEncoding = ex.ctx().header("Content-Encoding");
        String coding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (coding.equals("identity") || coding.isEmpty()) {
            return sent;
        }
        if (!coding.equals("gzip")) {
            throw new ApiException(415, "Unsupported Media Type", "Content-Encoding must be gzip or identity, was '"
                    + contentEncoding + "'", List.of(new Problem.FieldError("Content-Encoding", "must be gzip or identity")));
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(sent))) {
            byte[] inflated = in.readNBytes((int) maxBodyBytes + 1);
            if (inflated.length > maxBodyBytes) {
                throw ApiException.tooLarge(maxBodyBytes);
            }
            return inflated;
        } catch (IOException e) {
            throw ApiException.badRequest("body", "is not valid gzip (Content-Encoding: gzip)");
        }
    }

    private static ExportTraceServiceRequest protobuf(byte[] body) {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("body", "is not a protobuf ExportTraceServiceRequest: "
                    + OtlpJson.plainReason(e));
        }
    }

    /** How many of how many spans were refused, and the reasons while they fit (those found reading the request first). */
    static String errorMessage(List<String> reasons, int total) {
        String message = reasons.size() + " of " + total + " spans rejected: " + String.join("; ", reasons);
        return message.length() <= MAX_ERROR_MESSAGE_LENGTH
                ? message : message.substring(0, MAX_ERROR_MESSAGE_LENGTH - 1) + "…";
    }
}
