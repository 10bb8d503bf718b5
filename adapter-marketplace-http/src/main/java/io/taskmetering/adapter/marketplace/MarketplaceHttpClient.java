package io.taskmetering.adapter.marketplace;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.domain.billing.UsageEvent;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The live Azure Marketplace Metering client: {@code POST /batchUsageEvent} (up to 25 events, answers matched by
 * resource, dimension, hour and plan, never by position) or {@code POST /usageEvent}, by configuration.
 *
 * <p>{@link BatchPlanner} splits a submission into requests, {@link RequestRun} takes each request from its first
 * attempt to a result per event, sending through {@link MarketplaceCall} and retrying as {@link RetryPolicy} allows.
 * Every hour key is sent with the same bytes and the same {@code x-ms-correlationid} on every attempt; an event of
 * unknown fate is answered {@link SubmissionStatus#RETRY_LATER} (or {@link SubmissionStatus#DEADLINE_PASSED} at its
 * deadline) under its own hour key: a quantity is never moved to another hour.
 *
 * <p>Thread-safe: one instance serves concurrent submission workers.
 */
public final class MarketplaceHttpClient implements MarketplaceSubmissionPort, AutoCloseable {
    private final MarketplaceConfig config;
    private final OkHttpClient http;
    private final AccessTokenSource tokens;
    private final Clock clock;
    private final Sleeper sleeper;
    private final MarketplaceCall call;
    private final RetryPolicy retryPolicy;

    private MarketplaceHttpClient(Builder builder) {
        this.config = builder.config;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.http = newHttpClient(config);
        this.tokens = builder.tokens != null ? builder.tokens : new EntraTokenClient(config, http, clock);
        this.call = new MarketplaceCall(config, http, tokens, clock, builder.requestIds);
        this.retryPolicy = new RetryPolicy(config);
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

    @Override
    public List<SubmissionResult> submit(List<UsageEvent> events) {
        Objects.requireNonNull(events, "events");
        Endpoint endpoint = Endpoint.of(config.submissionMode());
        List<SubmissionResult> results = new ArrayList<>(events.size());
        for (List<UsageEvent> request : BatchPlanner.requests(events, endpoint, config.batchSize())) {
            List<PendingEvent> pending = request.stream()
                    .map(event -> new PendingEvent(event, config.lastAttemptStart(event.key().hour().start())))
                    .toList();
            if (Thread.currentThread().isInterrupted()) {
                pending.forEach(event -> results.add(event.result(SubmissionStatus.RETRY_LATER, "interrupted",
                        "not sent: the submitting thread was interrupted")));
            } else {
                results.addAll(new RequestRun(config, call, retryPolicy, tokens, clock, sleeper, endpoint, pending).run());
            }
        }
        return results;
    }

    /** {@code GET /usageEvents} for reconciliation, sharing this client's connections, token and retry settings. */
    public MarketplaceReconciliationClient reconciliationClient() {
        return new MarketplaceReconciliationClient(config, http, tokens, clock, sleeper);
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
