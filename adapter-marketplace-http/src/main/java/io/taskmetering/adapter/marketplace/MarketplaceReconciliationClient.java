package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.core.IntervalFunction;
import io.taskmetering.application.model.MarketplaceReportedUsage;
import io.taskmetering.application.port.out.MarketplaceReconciliationPort;
import io.taskmetering.application.port.out.MarketplaceUnavailableException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code GET /usageEvents} for one UTC day: what the Marketplace recorded, for reconciliation. It asks for
 * {@code usageStartDate=day} and {@code UsageEndDate=day+1} (whether the end is inclusive is not documented) and the
 * use case keeps only rows dated on the day. 401/403 refreshes the token once; 408/429/5xx/I/O are retried with the
 * submission client's backoff; anything else fails the reconciliation run with {@link ReconciliationFailedException}.
 */
public final class MarketplaceReconciliationClient implements MarketplaceReconciliationPort {
    private static final Logger log = LoggerFactory.getLogger(MarketplaceReconciliationClient.class);

    private final MarketplaceConfig config;
    private final OkHttpClient http;
    private final AccessTokenSource tokens;
    private final Clock clock;
    private final Sleeper sleeper;
    private final IntervalFunction backoff;

    MarketplaceReconciliationClient(MarketplaceConfig config, OkHttpClient http, AccessTokenSource tokens, Clock clock,
                                    Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.backoff = IntervalFunction.ofExponentialBackoff(config.initialBackoff(), config.backoffMultiplier(),
                config.maxBackoff());
    }

    /** The reconciliation query could not be answered; nothing was compared. */
    public static final class ReconciliationFailedException extends MarketplaceUnavailableException {
        private static final long serialVersionUID = 1L;

        public ReconciliationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public List<MarketplaceReportedUsage> usageOn(LocalDate day) {
        HttpUrl url = HttpUrl.get(config.baseUrl().toString()).newBuilder()
                .addPathSegment("usageEvents")
                .addQueryParameter("api-version", MarketplaceConfig.API_VERSION)
                .addQueryParameter("usageStartDate", day.toString())
                .addQueryParameter("UsageEndDate", day.plusDays(1).toString())
                .build();
        boolean refreshed = false;
        Instant started = clock.instant();
        for (int attempt = 1; ; attempt++) {
            String token = tokens.token();
            String requestId = UUID.randomUUID().toString();
            Request request = new Request.Builder().url(url).get()
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .header(MarketplaceCall.REQUEST_ID_HEADER, requestId)
                    .build();
            String failure;
            Duration retryAfter = null;
            try (Response response = http.newCall(request).execute()) {
                String text = response.body().string();
                int code = response.code();
                log.atInfo().setMessage("marketplace GET /usageEvents day={} requestId={} -> {}").addArgument(day)
                        .addArgument(requestId).addArgument(code).addKeyValue("event", "marketplace_reconciliation")
                        .addKeyValue("requestId", requestId).addKeyValue("httpStatus", code).log();
                if (code == 200) {
                    return parse(text);
                }
                if ((code == 401 || code == 403) && !refreshed) {
                    refreshed = true;
                    tokens.refreshAfterRejection(token);
                    continue;
                }
                if (!(code == 408 || code == 429 || code >= 500)) {
                    throw new ReconciliationFailedException("GET /usageEvents answered " + code + ": "
                            + MarketplaceJson.errorMessage(MarketplaceJson.parse(text), text), null);
                }
                failure = "http_" + code;
                retryAfter = MarketplaceJson.retryAfter(response.header("Retry-After"), clock.instant());
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
            }
            long wait = Math.max(backoff.apply(attempt), retryAfter == null ? 0 : retryAfter.toMillis());
            if (attempt >= config.maxAttempts()
                    || clock.instant().plusMillis(wait).isAfter(started.plus(config.retryBudget()))) {
                throw new ReconciliationFailedException("GET /usageEvents failed " + attempt + " times; last " + failure,
                        null);
            }
            try {
                sleeper.sleep(Duration.ofMillis(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReconciliationFailedException("interrupted", e);
            }
        }
    }

    private static List<MarketplaceReportedUsage> parse(String text) {
        JsonNode root = MarketplaceJson.parse(text);
        JsonNode rows = root != null && root.isObject() ? root.get("value") : root;
        if (rows == null || !rows.isArray()) {
            throw new ReconciliationFailedException("GET /usageEvents answered 200 without a list", null);
        }
        List<MarketplaceReportedUsage> records = new ArrayList<>();
        for (JsonNode row : rows) {
            Instant date = MarketplaceJson.instant(MarketplaceJson.text(row, "usageDate"));
            String resource = MarketplaceJson.text(row, "usageResourceId");
            if (resource == null) {
                resource = MarketplaceJson.text(row, "resourceId");
            }
            String dimension = MarketplaceJson.text(row, "dimension");
            if (date == null || resource == null || dimension == null) {
                log.atWarn().setMessage("usageEvents row without usageDate, usageResourceId or dimension skipped")
                        .addKeyValue("event", "marketplace_reconciliation_row_skipped").log();
                continue;
            }
            records.add(new MarketplaceReportedUsage(date, resource, dimension, MarketplaceJson.text(row, "planId"),
                    MarketplaceJson.decimal(row.get("submittedQuantity")),
                    MarketplaceJson.decimal(row.get("processedQuantity")), MarketplaceJson.text(row, "reconStatus")));
        }
        return records;
    }
}
