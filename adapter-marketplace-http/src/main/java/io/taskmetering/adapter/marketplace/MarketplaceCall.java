package io.taskmetering.adapter.marketplace;

import io.taskmetering.adapter.marketplace.AttemptOutcome.Attempt;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Interrupted;
import io.taskmetering.adapter.marketplace.AttemptOutcome.TokenRefused;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Transient;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One HTTP attempt: a token, the request with a fresh {@code x-ms-requestid} and the request's stable
 * {@code x-ms-correlationid}, and the answer classified by {@link Answers}. Never throws for HTTP, I/O or token
 * trouble; every attempt is logged. Thread-safe.
 */
final class MarketplaceCall {
    private static final Logger log = LoggerFactory.getLogger(MarketplaceCall.class);
    private static final MediaType JSON = MediaType.get("application/json");
    static final String REQUEST_ID_HEADER = "x-ms-requestid";
    static final String CORRELATION_ID_HEADER = "x-ms-correlationid";

    private final OkHttpClient http;
    private final AccessTokenSource tokens;
    private final Clock clock;
    private final Supplier<UUID> requestIds;
    private final Map<Endpoint, HttpUrl> urls = new EnumMap<>(Endpoint.class);

    MarketplaceCall(MarketplaceConfig config, OkHttpClient http, AccessTokenSource tokens, Clock clock,
                    Supplier<UUID> requestIds) {
        this.http = http;
        this.tokens = tokens;
        this.clock = clock;
        this.requestIds = requestIds;
        HttpUrl base = HttpUrl.get(config.baseUrl().toString());
        for (Endpoint endpoint : Endpoint.values()) {
            urls.put(endpoint, base.newBuilder().addPathSegment(endpoint.path)
                    .addQueryParameter("api-version", MarketplaceConfig.API_VERSION).build());
        }
    }

    /** Sends {@code sending} once: the one event to {@code /usageEvent}, or all of them as one batch. */
    AttemptOutcome send(Endpoint endpoint, List<PendingEvent> sending) {
        String requestId = requestIds.get().toString();
        String correlationId;
        byte[] body;
        if (endpoint == Endpoint.SINGLE) {
            correlationId = sending.get(0).correlationId;
            body = sending.get(0).bytes;
        } else {
            correlationId = MarketplacePayloads.batchCorrelationId(sending.stream().map(s -> s.key).toList());
            body = MarketplacePayloads.utf8(MarketplacePayloads.batchJson(sending.stream().map(s -> s.json).toList()));
        }
        Instant at = clock.instant();
        String token;
        try {
            token = tokens.token();
        } catch (TokenUnavailableException e) {
            Attempt attempt = new Attempt(null, correlationId, at, null); // nothing was sent, so no request id
            log(endpoint, attempt, sending.size(), "token_unavailable", 0, null);
            return e.transientFailure()
                    ? new Transient(attempt, "token_unavailable", e.getMessage(), null, false)
                    : new TokenRefused(attempt, e.getMessage());
        }
        Request request = new Request.Builder()
                .url(urls.get(endpoint))
                .post(RequestBody.create(body, JSON))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header(REQUEST_ID_HEADER, requestId)
                .header(CORRELATION_ID_HEADER, correlationId)
                .build();
        long startNanos = System.nanoTime();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            Attempt attempt = new Attempt(requestId, correlationId, at, response.code());
            AttemptOutcome outcome = Answers.classify(endpoint, sending, attempt, token, response.code(), text,
                    MarketplaceJson.retryAfter(response.header("Retry-After"), clock.instant()));
            log(endpoint, attempt, sending.size(), outcome.outcome(), elapsedMillis(startNanos),
                    response.header(REQUEST_ID_HEADER));
            return outcome;
        } catch (IOException e) {
            Attempt attempt = new Attempt(requestId, correlationId, at, null);
            if (Thread.currentThread().isInterrupted()) {
                log(endpoint, attempt, sending.size(), "interrupted", elapsedMillis(startNanos), null);
                return new Interrupted(attempt);
            }
            boolean timeout = e instanceof InterruptedIOException;
            boolean notSent = e instanceof ConnectException;
            String outcome = timeout ? "io_timeout" : notSent ? "io_connect" : "io_error";
            log(endpoint, attempt, sending.size(), outcome, elapsedMillis(startNanos), null);
            return new Transient(attempt, outcome, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + MarketplaceJson.shorten(e.getMessage())), null, !notSent);
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void log(Endpoint endpoint, Attempt attempt, int events, String outcome, long millis,
                            String echoedId) {
        LoggingEventBuilder event = attempt.httpStatus() != null && attempt.httpStatus() < 300 ? log.atInfo() : log.atWarn();
        event.setMessage("marketplace POST /{} requestId={} correlationId={} events={} -> {} in {} ms")
                .addArgument(endpoint.path).addArgument(attempt.requestId()).addArgument(attempt.correlationId())
                .addArgument(events).addArgument(outcome).addArgument(millis)
                .addKeyValue("event", "marketplace_attempt").addKeyValue("endpoint", endpoint.path)
                .addKeyValue("requestId", attempt.requestId()).addKeyValue("correlationId", attempt.correlationId())
                .addKeyValue("events", events).addKeyValue("httpStatus", attempt.httpStatus())
                .addKeyValue("outcome", outcome).addKeyValue("latencyMillis", millis)
                .addKeyValue("echoedRequestId", echoedId).log();
    }
}
