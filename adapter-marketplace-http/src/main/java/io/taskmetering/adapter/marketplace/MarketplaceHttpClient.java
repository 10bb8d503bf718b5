package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.taskmetering.adapter.marketplace.Verdicts.Verdict;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import okhttp3.ConnectionSpec;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The live Azure Marketplace Metering client: {@code POST /batchUsageEvent} (up to 25 events, answers matched by
 * resource, dimension, hour and plan, never by position) or {@code POST /usageEvent}, by configuration.
 *
 * <p>Every hour key is sent with the same bytes and the same {@code x-ms-correlationid} on every attempt; each attempt
 * gets a fresh {@code x-ms-requestid}; both are logged and returned with the attempt. 408, 429, 5xx, I/O errors and
 * timeouts are retried with exponential backoff and jitter (resilience4j-retry), never sooner than {@code Retry-After},
 * within a time budget, and never starting later than {@code effectiveStartTime + 24h - margin}. A batch item answered
 * {@code Error} is retried a bounded number of times. 401/403 refreshes the token once, then the hour is refused.
 * Whatever happens, an event of unknown fate is answered {@link SubmissionStatus#RETRY_LATER} (or
 * {@link SubmissionStatus#EXPIRED} with error code {@code deadline} at the deadline) under its own hour key: a quantity
 * is never moved to another hour.
 *
 * <p>Thread-safe: one instance serves concurrent submission workers.
 */
public final class MarketplaceHttpClient implements MarketplaceSubmissionPort, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MarketplaceHttpClient.class);
    private static final MediaType JSON = MediaType.get("application/json");
    static final String REQUEST_ID_HEADER = "x-ms-requestid";
    static final String CORRELATION_ID_HEADER = "x-ms-correlationid";
    /** {@link SubmissionResult#errorCode()} of an hour given up at its deadline; the service makes it a deadline anomaly. */
    public static final String DEADLINE_ERROR_CODE = "deadline";

    enum Endpoint {
        SINGLE("usageEvent"), BATCH("batchUsageEvent");

        final String path;

        Endpoint(String path) {
            this.path = path;
        }
    }

    private final MarketplaceConfig config;
    private final OkHttpClient http;
    private final AccessTokenSource tokens;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Supplier<UUID> requestIds;
    private final Map<Endpoint, HttpUrl> urls = new HashMap<>();
    private final Retry transientRetry;
    private final Retry itemErrorRetry;

    private MarketplaceHttpClient(Builder builder) {
        this.config = builder.config;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.requestIds = builder.requestIds;
        this.http = newHttpClient(config);
        this.tokens = builder.tokens != null ? builder.tokens : new EntraTokenClient(config, http, clock);
        HttpUrl base = HttpUrl.get(config.baseUrl().toString());
        for (Endpoint endpoint : Endpoint.values()) {
            urls.put(endpoint, base.newBuilder().addPathSegment(endpoint.path)
                    .addQueryParameter("api-version", MarketplaceConfig.API_VERSION).build());
        }
        IntervalFunction backoff = config.jitter() > 0
                ? IntervalFunction.ofExponentialRandomBackoff(config.initialBackoff(), config.backoffMultiplier(),
                config.jitter(), config.maxBackoff())
                : IntervalFunction.ofExponentialBackoff(config.initialBackoff(), config.backoffMultiplier(),
                config.maxBackoff());
        this.transientRetry = Retry.of("marketplace-transient", RetryConfig.<Exchange>custom()
                .maxAttempts(config.maxAttempts())
                .retryOnResult(exchange -> exchange instanceof Transient)
                .retryOnException(MarketplaceHttpClient::transientException)
                .intervalBiFunction((attempt, outcome) -> waitMillis(backoff, attempt, outcome))
                .build());
        this.itemErrorRetry = Retry.of("marketplace-item-error", RetryConfig.<Exchange>custom()
                .maxAttempts(config.itemErrorMaxAttempts())
                .retryOnResult(exchange -> exchange instanceof PerEvent perEvent && perEvent.hasRetryableItems())
                .intervalBiFunction((attempt, outcome) -> waitMillis(backoff, attempt, outcome))
                .build());
    }

    /** A client with the real clock, real sleeping, random request ids and an {@link EntraTokenClient}. */
    public static MarketplaceHttpClient create(MarketplaceConfig config) {
        return builder(config).build();
    }

    public static Builder builder(MarketplaceConfig config) {
        return new Builder(config);
    }

    static OkHttpClient newHttpClient(MarketplaceConfig config) {
        return new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.writeTimeout())
                .callTimeout(config.callTimeout())
                // every resend is ours: counted, logged, with a fresh x-ms-requestid, never a silent OkHttp replay
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                // TLS 1.2+ (MODERN_TLS); cleartext only reaches loopback hosts (MarketplaceConfig enforces https)
                .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                .build();
    }

    private static boolean transientException(Throwable error) {
        return error instanceof IOException
                || error instanceof TokenUnavailableException token && token.transientFailure();
    }

    /** Exponential backoff with jitter, but never less than the server's {@code Retry-After}. */
    private static long waitMillis(IntervalFunction backoff, Integer attempt, Either<Throwable, Exchange> outcome) {
        long wait = backoff.apply(attempt);
        if (outcome.isRight() && outcome.get() instanceof Transient t && t.retryAfter != null) {
            wait = Math.max(wait, t.retryAfter.toMillis());
        }
        return wait;
    }

    @Override
    public List<SubmissionResult> submit(List<UsageEvent> events) {
        Objects.requireNonNull(events, "events");
        Map<BucketKey, EventState> states = new LinkedHashMap<>();
        for (UsageEvent event : events) {
            if (states.putIfAbsent(event.key(), new EventState(event, config)) != null) {
                throw new IllegalArgumentException("hour key " + event.key() + " appears twice in one submission");
            }
        }
        List<SubmissionResult> results = new ArrayList<>(events.size());
        Endpoint endpoint = config.submissionMode() == SubmissionMode.SINGLE ? Endpoint.SINGLE : Endpoint.BATCH;
        for (List<EventState> unit : units(endpoint, List.copyOf(states.values()))) {
            if (Thread.currentThread().isInterrupted()) {
                unit.forEach(s -> results.add(s.result(SubmissionStatus.RETRY_LATER, "interrupted",
                        "not sent: the submitting thread was interrupted")));
                continue;
            }
            results.addAll(new Unit(endpoint, unit).run());
        }
        return results;
    }

    /**
     * One request per event, or batches of up to {@code batchSize}; a batch never holds two events whose answers
     * could not be told apart (same resource, dimension, hour and plan ignoring case).
     */
    private List<List<EventState>> units(Endpoint endpoint, List<EventState> states) {
        List<List<EventState>> units = new ArrayList<>();
        if (endpoint == Endpoint.SINGLE) {
            states.forEach(s -> units.add(List.of(s)));
            return units;
        }
        List<Set<MatchKey>> keysPerUnit = new ArrayList<>();
        for (EventState state : states) {
            int target = -1;
            for (int i = 0; i < units.size(); i++) {
                if (units.get(i).size() < config.batchSize() && !keysPerUnit.get(i).contains(state.matchKey)) {
                    target = i;
                    break;
                }
            }
            if (target < 0) {
                units.add(new ArrayList<>());
                keysPerUnit.add(new HashSet<>());
                target = units.size() - 1;
            }
            units.get(target).add(state);
            keysPerUnit.get(target).add(state.matchKey);
        }
        return units;
    }

    /** One request's worth of events (a batch or a single event) from first attempt to final answers. */
    private final class Unit {
        private final Endpoint endpoint;
        private final Instant started;
        private final Map<BucketKey, EventState> open = new LinkedHashMap<>();
        private final List<SubmissionResult> done = new ArrayList<>();
        private final Retry.AsyncContext<Exchange> transientContext = transientRetry.asyncContext();
        private final Retry.AsyncContext<Exchange> itemErrorContext = itemErrorRetry.asyncContext();
        private boolean tokenRefreshed;

        Unit(Endpoint endpoint, List<EventState> states) {
            this.endpoint = endpoint;
            this.started = clock.instant();
            states.forEach(s -> open.put(s.key, s));
        }

        List<SubmissionResult> run() {
            for (EventState state : List.copyOf(open.values())) {
                if (!started.isBefore(state.lastStart)) {
                    finish(state, state.result(SubmissionStatus.EXPIRED, DEADLINE_ERROR_CODE, "not sent: " + started
                            + " is past the last allowed start " + state.lastStart
                            + " (effectiveStartTime + 24h - deadline margin)" + state.fateNote()));
                }
            }
            while (!open.isEmpty()) {
                List<EventState> sending = List.copyOf(open.values());
                Exchange exchange = exchange(endpoint, sending);
                if (exchange instanceof Interrupted interrupted) {
                    sending.forEach(s -> s.record(interrupted.meta, "interrupted", null, true));
                    finishAll(SubmissionStatus.RETRY_LATER, "interrupted", "the submitting thread was interrupted");
                } else if (exchange instanceof PerEvent perEvent) {
                    onPerEvent(perEvent, sending);
                } else if (exchange instanceof Transient t) {
                    sending.forEach(s -> s.record(t.meta, t.outcome, t.detail, t.mayHaveLanded));
                    long wait = t.error != null ? transientContext.onError(t.error) : transientContext.onResult(t);
                    if (wait < 0) {
                        finishAll(SubmissionStatus.RETRY_LATER, "retries_exhausted", "gave up after "
                                + config.maxAttempts() + " attempts; last " + t.outcome + describe(t.detail));
                    } else {
                        waitOrStop(wait, t.outcome);
                    }
                } else if (exchange instanceof Unauthorized u) {
                    sending.forEach(s -> s.record(u.meta, u.outcome, u.detail, false));
                    if (!tokenRefreshed) {
                        tokenRefreshed = true;
                        try {
                            tokens.refreshAfterRejection(u.token);
                        } catch (TokenUnavailableException e) {
                            // the next attempt asks for a token again and reports that failure itself
                        }
                    } else {
                        finishAll(SubmissionStatus.UNAUTHORIZED, u.outcome, "refused after one token refresh"
                                + describe(u.detail));
                    }
                } else if (exchange instanceof TokenRefused refused) {
                    sending.forEach(s -> s.record(refused.meta, "token_refused", refused.detail, false));
                    finishAll(SubmissionStatus.RETRY_LATER, "token_unavailable", "not sent: " + refused.detail);
                } else if (exchange instanceof BatchRefused refused) {
                    sending.forEach(s -> s.record(refused.meta, refused.outcome, refused.detail, false));
                    log.atWarn().setMessage("batch refused as a whole ({}); sending its {} events one by one")
                            .addArgument(refused.outcome).addArgument(sending.size())
                            .addKeyValue("event", "marketplace_batch_refused").log();
                    for (EventState state : sending) {
                        open.remove(state.key);
                        done.addAll(new Unit(Endpoint.SINGLE, List.of(state)).run());
                    }
                } else if (exchange instanceof Unexpected u) {
                    sending.forEach(s -> s.record(u.meta, u.outcome, u.detail, true));
                    finishAll(SubmissionStatus.RETRY_LATER, u.outcome, "unexpected answer; the hour stays pending"
                            + describe(u.detail));
                }
            }
            transientContext.onComplete();
            itemErrorContext.onComplete();
            return done;
        }

        private void onPerEvent(PerEvent perEvent, List<EventState> sending) {
            boolean retryItems = false;
            for (EventState state : sending) {
                Verdict verdict = perEvent.verdicts.get(state.key);
                state.record(perEvent.meta, verdict.outcome(), verdict.errorMessage(), !verdict.terminal());
                if (verdict.terminal()) {
                    finish(state, state.result(verdict));
                } else {
                    retryItems = true;
                }
            }
            if (retryItems) {
                long wait = itemErrorContext.onResult(perEvent);
                if (wait < 0) {
                    finishAll(SubmissionStatus.RETRY_LATER, "item_retries_exhausted", "answered Error "
                            + config.itemErrorMaxAttempts() + " times; the hour stays pending");
                } else {
                    waitOrStop(wait, "item_error");
                }
            }
        }

        /** Sleeps before the next attempt unless that attempt would start past a deadline or the retry budget. */
        private void waitOrStop(long waitMillis, String lastOutcome) {
            Instant now = clock.instant();
            Instant next = now.plusMillis(waitMillis);
            for (EventState state : List.copyOf(open.values())) {
                if (!next.isBefore(state.lastStart)) {
                    finish(state, state.result(SubmissionStatus.EXPIRED, DEADLINE_ERROR_CODE, "stopped retrying: the next "
                            + "attempt (" + next + ") would start past the last allowed start " + state.lastStart
                            + " (effectiveStartTime + 24h - deadline margin); last " + lastOutcome + state.fateNote()));
                }
            }
            if (open.isEmpty()) {
                return;
            }
            if (next.isAfter(started.plus(config.retryBudget()))) {
                finishAll(SubmissionStatus.RETRY_LATER, "retry_budget_exhausted", "the next attempt (" + next
                        + ") would start past the retry budget of " + config.retryBudget() + "; last " + lastOutcome);
                return;
            }
            log.atInfo().setMessage("marketplace retry in {} ms after {} ({} events)").addArgument(waitMillis)
                    .addArgument(lastOutcome).addArgument(open.size())
                    .addKeyValue("event", "marketplace_retry_scheduled").addKeyValue("waitMillis", waitMillis)
                    .addKeyValue("lastOutcome", lastOutcome).addKeyValue("events", open.size()).log();
            try {
                sleeper.sleep(Duration.ofMillis(waitMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finishAll(SubmissionStatus.RETRY_LATER, "interrupted", "interrupted while waiting to retry; last "
                        + lastOutcome);
            }
        }

        private void finish(EventState state, SubmissionResult result) {
            open.remove(state.key);
            done.add(result);
            LoggingEventBuilder event = switch (result.status()) {
                case ACCEPTED, DUPLICATE_ACCEPTED, DRY_RUN -> log.atDebug();
                case RETRY_LATER -> log.atInfo();
                default -> log.atWarn();
            };
            event.setMessage("marketplace result {} for {} after {} attempts{}").addArgument(result.status())
                    .addArgument(state.key).addArgument(result.attempts().size())
                    .addArgument(result.errorCode() == null ? "" : " (" + result.errorCode() + ")")
                    .addKeyValue("event", "marketplace_result").addKeyValue("hourKey", state.key.toString())
                    .addKeyValue("status", result.status().name()).addKeyValue("correlationId", state.correlationId)
                    .addKeyValue("usageEventId", result.usageEventId()).addKeyValue("errorCode", result.errorCode())
                    .addKeyValue("attempts", result.attempts().size()).log();
        }

        private void finishAll(SubmissionStatus status, String code, String message) {
            for (EventState state : List.copyOf(open.values())) {
                finish(state, state.result(status, code, message + state.fateNote()));
            }
        }
    }

    private static String describe(String detail) {
        return detail == null ? "" : ": " + detail;
    }

    /** One HTTP attempt for the events in {@code sending}; never throws for HTTP, I/O or token trouble. */
    private Exchange exchange(Endpoint endpoint, List<EventState> sending) {
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
            Meta meta = new Meta(null, correlationId, at, null); // nothing was sent, so no request id
            logAttempt(endpoint, meta, sending.size(), "token_unavailable", 0, null);
            return e.transientFailure()
                    ? new Transient(meta, "token_unavailable", e.getMessage(), null, e, false)
                    : new TokenRefused(meta, e.getMessage());
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
            Meta meta = new Meta(requestId, correlationId, at, response.code());
            Exchange exchange = classify(endpoint, sending, response, text, meta, token);
            logAttempt(endpoint, meta, sending.size(), exchange.outcome(), elapsedMillis(startNanos),
                    response.header(REQUEST_ID_HEADER));
            return exchange;
        } catch (IOException e) {
            Meta meta = new Meta(requestId, correlationId, at, null);
            if (Thread.currentThread().isInterrupted()) {
                logAttempt(endpoint, meta, sending.size(), "interrupted", elapsedMillis(startNanos), null);
                return new Interrupted(meta);
            }
            boolean timeout = e instanceof InterruptedIOException;
            boolean notSent = e instanceof ConnectException;
            String outcome = timeout ? "io_timeout" : notSent ? "io_connect" : "io_error";
            logAttempt(endpoint, meta, sending.size(), outcome, elapsedMillis(startNanos), null);
            return new Transient(meta, outcome, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + MarketplaceJson.shorten(e.getMessage())), null, e, !notSent);
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private Exchange classify(Endpoint endpoint, List<EventState> sending, Response response, String text, Meta meta,
                              String token) {
        int code = response.code();
        String outcome = "http_" + code;
        JsonNode body = MarketplaceJson.parse(text);
        if (code == 401 || code == 403) {
            return new Unauthorized(meta, outcome, MarketplaceJson.errorMessage(body, text), token);
        }
        if (code == 408 || code == 429 || code >= 500) {
            Duration retryAfter = MarketplaceJson.retryAfter(response.header("Retry-After"), clock.instant());
            String detail = (retryAfter == null ? "" : "Retry-After " + retryAfter.toMillis() + " ms; ")
                    + Objects.toString(MarketplaceJson.errorMessage(body, text), "");
            return new Transient(meta, outcome, detail.isEmpty() ? null : detail, retryAfter, null, true);
        }
        if (endpoint == Endpoint.BATCH) {
            if (code == 200) {
                return batchAnswer(sending, body, meta);
            }
            if (code == 400) {
                return new BatchRefused(meta, outcome, MarketplaceJson.errorMessage(body, text));
            }
            return new Unexpected(meta, outcome, MarketplaceJson.errorMessage(body, text));
        }
        EventState state = sending.get(0);
        Verdict verdict;
        if (code == 200) {
            if (body == null || !body.isObject()) {
                return new Transient(meta, "unreadable_response", "200 without a readable body; fate unknown", null,
                        null, true);
            }
            verdict = Verdicts.ofItem(body, state.event);
            if (!verdict.terminal()) {
                return new Transient(meta, verdict.outcome(), verdict.errorMessage(), null, null, true);
            }
        } else if (code == 400) {
            verdict = Verdicts.ofBadRequest(body, text);
        } else if (code == 409) {
            verdict = Verdicts.ofConflict(body, state.event);
        } else {
            return new Unexpected(meta, outcome, MarketplaceJson.errorMessage(body, text));
        }
        return new PerEvent(meta, Map.of(state.key, verdict), verdict.outcome());
    }

    /** A batch 200: each event's item found by (resource, dimension, hour, plan), never by position. */
    private Exchange batchAnswer(List<EventState> sending, JsonNode body, Meta meta) {
        JsonNode items = body == null ? null : body.get("result");
        if (items == null || !items.isArray()) {
            return new Transient(meta, "unreadable_response", "200 without a readable result list; fate unknown", null,
                    null, true);
        }
        Map<MatchKey, JsonNode> byKey = new HashMap<>();
        for (JsonNode item : items) {
            MatchKey key = MatchKey.of(item);
            if (key == null) {
                log.atWarn().setMessage("batch answer item without resource, dimension, time or plan ignored")
                        .addKeyValue("event", "marketplace_item_unmatched").log();
            } else if (byKey.putIfAbsent(key, item) != null) {
                log.atWarn().setMessage("batch answer has two items for {}; the first one counts").addArgument(key)
                        .addKeyValue("event", "marketplace_item_twice").log();
            }
        }
        Map<BucketKey, Verdict> verdicts = new HashMap<>();
        for (EventState state : sending) {
            JsonNode item = byKey.remove(state.matchKey);
            verdicts.put(state.key, item == null
                    ? Verdict.retryItem("missing_item", "the batch answer has no item for this event")
                    : Verdicts.ofItem(item, state.event));
        }
        if (!byKey.isEmpty()) {
            log.atWarn().setMessage("batch answer has {} items matching no event sent").addArgument(byKey.size())
                    .addKeyValue("event", "marketplace_item_unmatched").log();
        }
        return new PerEvent(meta, verdicts, "batch_200");
    }

    private void logAttempt(Endpoint endpoint, Meta meta, int events, String outcome, long millis, String echoedId) {
        LoggingEventBuilder event = meta.httpStatus != null && meta.httpStatus < 300 ? log.atInfo() : log.atWarn();
        event.setMessage("marketplace POST /{} requestId={} correlationId={} events={} -> {} in {} ms")
                .addArgument(endpoint.path).addArgument(meta.requestId).addArgument(meta.correlationId)
                .addArgument(events).addArgument(outcome).addArgument(millis)
                .addKeyValue("event", "marketplace_attempt").addKeyValue("endpoint", endpoint.path)
                .addKeyValue("requestId", meta.requestId).addKeyValue("correlationId", meta.correlationId)
                .addKeyValue("events", events).addKeyValue("httpStatus", meta.httpStatus)
                .addKeyValue("outcome", outcome).addKeyValue("latencyMillis", millis)
                .addKeyValue("echoedRequestId", echoedId).log();
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "MarketplaceHttpClient[" + config + "]";
    }

    /** The per-event state of one submission: bytes, ids, deadline and every attempt so far. */
    private static final class EventState {
        final UsageEvent event;
        final BucketKey key;
        final MatchKey matchKey;
        final String json;
        final byte[] bytes;
        final String correlationId;
        final Instant lastStart;
        final List<SubmissionAttempt> attempts = new ArrayList<>();
        boolean mayHaveLanded;

        EventState(UsageEvent event, MarketplaceConfig config) {
            this.event = event;
            this.key = event.key();
            this.matchKey = MatchKey.of(event);
            this.json = MarketplacePayloads.eventJson(event);
            this.bytes = MarketplacePayloads.utf8(json);
            this.correlationId = MarketplacePayloads.correlationId(key);
            this.lastStart = config.lastAttemptStart(key.hour().start());
        }

        void record(Meta meta, String outcome, String detail, boolean unknownFate) {
            attempts.add(new SubmissionAttempt(attempts.size() + 1, meta.requestId, meta.correlationId, meta.at,
                    meta.httpStatus, outcome, detail));
            mayHaveLanded |= unknownFate;
        }

        String fateNote() {
            return mayHaveLanded ? " (an earlier attempt may have been recorded by the Marketplace: the same hour key is"
                    + " sent again first, and reconciliation shows it)" : "";
        }

        SubmissionResult result(SubmissionStatus status, String errorCode, String errorMessage) {
            return new SubmissionResult(key, status, json, null, null, null, errorCode, errorMessage, attempts);
        }

        SubmissionResult result(Verdict verdict) {
            return new SubmissionResult(key, verdict.status(), json, verdict.usageEventId(), verdict.messageTime(),
                    verdict.marketplaceQuantity(), verdict.errorCode(), verdict.errorMessage(), attempts);
        }
    }

    /** How batch answers are matched to events: resource, dimension, hour and plan, case-insensitively. */
    record MatchKey(String resource, String dimension, Instant hour, String plan) {
        static MatchKey of(UsageEvent event) {
            return new MatchKey(lower(event.resourceId()), lower(event.dimension()), event.key().hour().start(),
                    lower(event.planId().value()));
        }

        static MatchKey of(JsonNode item) {
            String resource = MarketplaceJson.text(item, "resourceId");
            if (resource == null) {
                resource = MarketplaceJson.text(item, "resourceUri");
            }
            String dimension = MarketplaceJson.text(item, "dimension");
            Instant hour = MarketplaceJson.instant(MarketplaceJson.text(item, "effectiveStartTime"));
            String plan = MarketplaceJson.text(item, "planId");
            if (resource == null || dimension == null || hour == null || plan == null) {
                return null;
            }
            return new MatchKey(lower(resource), lower(dimension), hour, lower(plan));
        }

        private static String lower(String value) {
            return value.toLowerCase(Locale.ROOT);
        }
    }

    /** The ids of one attempt and the HTTP status, if an answer arrived. */
    private record Meta(String requestId, String correlationId, Instant at, Integer httpStatus) {
    }

    /** What one attempt came to, for the whole request. */
    private interface Exchange {
        String outcome();
    }

    /** An answer about each event (batch 200; single 200, 400, 409). */
    private record PerEvent(Meta meta, Map<BucketKey, Verdict> verdicts, String outcome) implements Exchange {
        boolean hasRetryableItems() {
            return verdicts.values().stream().anyMatch(v -> !v.terminal());
        }
    }

    /** 408, 429, 5xx, I/O error, timeout, unreadable 200, or a token endpoint hiccup: fate unknown, retry. */
    private record Transient(Meta meta, String outcome, String detail, Duration retryAfter, Throwable error,
                             boolean mayHaveLanded) implements Exchange {
    }

    /** 401 or 403. */
    private record Unauthorized(Meta meta, String outcome, String detail, String token) implements Exchange {
        @Override
        public String toString() {
            return "Unauthorized[" + outcome + "]";
        }
    }

    /** The token endpoint refused our credentials: nothing was sent. */
    private record TokenRefused(Meta meta, String detail) implements Exchange {
        public String outcome() {
            return "token_refused";
        }
    }

    /** A batch answered 400 as a whole: nothing of it was recorded. */
    private record BatchRefused(Meta meta, String outcome, String detail) implements Exchange {
    }

    /** A status the table does not cover (404, 3xx, …): not retried now, the hour stays pending. */
    private record Unexpected(Meta meta, String outcome, String detail) implements Exchange {
    }

    private record Interrupted(Meta meta) implements Exchange {
        public String outcome() {
            return "interrupted";
        }
    }

    /** Clock, sleeper and request ids are injectable so that retry waits are testable without sleeping. */
    public static final class Builder {
        private final MarketplaceConfig config;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Supplier<UUID> requestIds = UUID::randomUUID;
        private AccessTokenSource tokens;

        private Builder(MarketplaceConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder sleeper(Sleeper value) {
            sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        public Builder requestIds(Supplier<UUID> value) {
            requestIds = Objects.requireNonNull(value, "requestIds");
            return this;
        }

        /** Default: an {@link EntraTokenClient} for the configured tenant and client. */
        public Builder tokenSource(AccessTokenSource value) {
            tokens = value;
            return this;
        }

        public MarketplaceHttpClient build() {
            return new MarketplaceHttpClient(this);
        }
    }
}
