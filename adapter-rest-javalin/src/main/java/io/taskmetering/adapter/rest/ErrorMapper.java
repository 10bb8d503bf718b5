package io.taskmetering.adapter.rest;

import io.javalin.http.Context;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import io.taskmetering.application.port.in.NotFoundException;
import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.application.port.out.StorageException;
import io.taskmetering.domain.charge.IllegalTransitionException;
import io.taskmetering.domain.common.DomainException;
import io.taskmetering.domain.common.InvalidValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where a failure becomes a response. Native routes answer {@code application/problem+json}
 * ({@code type, title, status, detail, errors[{field, message}]}); sidecar routes answer the original's
 * {@code {"error": "..."}}; the OTLP export ({@code /v1/traces}) answers a {@code google.rpc.Status} in the request's
 * encoding, as OTLP/HTTP requires, when the request named one (any other content type gets the problem). No stack trace or exception class ever reaches a client; unexpected failures are logged
 * with the request id and answered with a generic 500.
 */
final class ErrorMapper {
    static final String SIDECAR_ATTRIBUTE = "taskmetering.sidecar";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private final Json json;

    ErrorMapper(Json json) {
        this.json = json;
    }

    void handle(Exception exception, Context ctx) {
        ApiException problem = toApiException(exception, ctx);
        if (ctx.res().isCommitted()) {
            // Mid-stream (an export): the status line is gone; all we can do is log and let the connection end.
            LOG.warn("request failed after the response was committed: {}", problem.detail(), exception);
            return;
        }
        if (problem.status() == 503 && exception instanceof ApiException) {
            // A deliberate refusal (the service is draining on shutdown): expected during every deploy, not an error.
            LOG.info("request refused: {} {} {}", ctx.method(), ctx.path(), problem.detail());
        } else if (problem.status() == 503) {
            // Storage unavailable or busy: the persistence adapter logs an outage once when it starts and once when
            // it ends; the request log shows each 503.
            LOG.debug("request refused, storage failed: {} {} {}", ctx.method(), ctx.path(), exception.getMessage());
        } else if (problem.status() >= 500) {
            LOG.error("request failed: {} {}", ctx.method(), ctx.path(), exception);
        }
        if (problem.status() == 401) {
            // RFC 9110: every 401 names its scheme, in both dialects.
            ctx.header("WWW-Authenticate", "Bearer");
        }
        if (problem.status() == 503 || problem.status() == 429) {
            ctx.header("Retry-After", TraceRoutes.RETRY_AFTER_SECONDS);
        }
        Optional<OtlpEncoding> otlp = otlpEncoding(ctx);
        if (otlp.isPresent()) {
            ctx.status(problem.status()).contentType(otlp.get().mediaType())
                    .result(otlp.get().status(problem.status(), problem.detail()));
            return;
        }
        if (Boolean.TRUE.equals(ctx.attribute(SIDECAR_ATTRIBUTE)) || isSidecarPath(ctx.path())) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", sidecarMessage(problem));
            ctx.status(problem.status()).contentType("application/json").result(json.write(body));
            return;
        }
        Problem body = Problem.of(problem.status(), problem.title(), problem.detail(), problem.errors());
        ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE).result(json.write(body));
    }

    private static ApiException toApiException(Exception exception, Context ctx) {
        if (exception instanceof ApiException api) {
            return api;
        }
        if (exception instanceof InvalidValueException invalid) {
            return ApiException.unprocessable(invalid.field(), invalid.reason());
        }
        if (exception instanceof IllegalTransitionException illegal) {
            return new ApiException(409, "Conflict", illegal.getMessage(),
                    List.of(new Problem.FieldError("state", "is " + illegal.currentState().name())));
        }
        if (exception instanceof ConcurrentUpdateException) {
            return new ApiException(409, "Conflict", "the charge was changed by another request at the same time; retry",
                    List.of());
        }
        if (exception instanceof NotFoundException notFound) {
            return ApiException.notFound(notFound.getMessage());
        }
        if (exception instanceof NotFoundResponse) {
            return ApiException.notFound("no route " + ctx.method().name() + " " + ctx.path());
        }
        if (exception instanceof MethodNotAllowedResponse) {
            return new ApiException(405, "Method Not Allowed",
                    "method " + ctx.method().name() + " is not allowed on " + ctx.path(), List.of());
        }
        if (exception instanceof StorageException storage && storage.retryable()) {
            return new ApiException(503, "Service Unavailable",
                    "storage is unavailable; nothing of this request was written; retry later", List.of());
        }
        if (exception instanceof DomainException domain) {
            return new ApiException(422, "Unprocessable Content", domain.getMessage(), List.of());
        }
        return new ApiException(500, "Internal Server Error",
                "the request failed unexpectedly; quote the X-Request-Id when reporting it", List.of());
    }

    /** The OTLP encoding of a request to {@code /v1/traces}; empty for any other request. */
    private static Optional<OtlpEncoding> otlpEncoding(Context ctx) {
        String path = ctx.path().endsWith("/") ? ctx.path().substring(0, ctx.path().length() - 1) : ctx.path();
        return path.equals(TraceRoutes.PATH) ? OtlpEncoding.of(ctx.header("Content-Type")) : Optional.empty();
    }

    /** The sidecar's own wording where it had one. */
    private static String sidecarMessage(ApiException problem) {
        return switch (problem.status()) {
            case 404 -> problem.detail().startsWith("no route ") ? "Not found" : problem.detail();
            case 500 -> "Internal server error";
            default -> problem.detail();
        };
    }

    /** Unmatched paths outside {@code /v1/} answer in the sidecar's dialect, as the original did. */
    static boolean isSidecarPath(String path) {
        return !path.startsWith("/v1/") && !path.equals("/v1") && !path.equals("/openapi.json")
                && !path.equals("/metrics") && !path.equals("/ready");
    }
}
