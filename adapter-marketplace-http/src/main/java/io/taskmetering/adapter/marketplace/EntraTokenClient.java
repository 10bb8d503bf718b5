package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Microsoft Entra ID client-credentials tokens for the Marketplace API: the v2 {@code scope} form by default, the v1
 * {@code resource} form by option; {@code expires_in} read as a number or a string. The token is cached until shortly
 * before it expires; when it must be fetched, one thread fetches while the others wait for its result, so a burst of
 * submissions causes one token request. Neither the secret nor a token is ever logged or shown by {@link #toString()}.
 */
public final class EntraTokenClient implements AccessTokenSource {
    private static final Logger log = LoggerFactory.getLogger(EntraTokenClient.class);
    /** A token fetched because of a rejection this recently is not fetched again for another rejection. */
    static final Duration REJECTION_REFRESH_HOLD = Duration.ofSeconds(60);

    private final MarketplaceConfig config;
    private final OkHttpClient http;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile CachedToken cached;

    public EntraTokenClient(MarketplaceConfig config, OkHttpClient http, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String token() {
        CachedToken current = cached;
        if (current != null && current.fresh(clock.instant())) {
            return current.value;
        }
        lock.lock();
        try {
            current = cached;
            if (current != null && current.fresh(clock.instant())) {
                return current.value;
            }
            return fetch(false, "expired_or_absent").value;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String refreshAfterRejection(String rejectedToken) {
        lock.lock();
        try {
            Instant now = clock.instant();
            CachedToken current = cached;
            if (current != null && current.fresh(now)) {
                if (!current.value.equals(rejectedToken)) {
                    return current.value;
                }
                if (current.afterRejection && current.fetchedAt.plus(REJECTION_REFRESH_HOLD).isAfter(now)) {
                    return current.value;
                }
            }
            return fetch(true, "rejected_by_marketplace").value;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the cached token (tests, credential rotation). */
    public void invalidate() {
        cached = null;
    }

    private CachedToken fetch(boolean afterRejection, String reason) {
        String url = config.resolvedTokenUrl();
        FormBody.Builder form = new FormBody.Builder()
                .add("grant_type", "client_credentials")
                .add("client_id", config.clientId())
                .add("client_secret", config.clientSecret());
        if (config.tokenForm() == TokenForm.V2_SCOPE) {
            form.add("scope", config.resourceAppId() + "/.default");
        } else {
            form.add("resource", config.resourceAppId());
        }
        Request request = new Request.Builder().url(url).post(form.build()).header("Accept", "application/json").build();
        Instant started = clock.instant();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            int code = response.code();
            if (code != 200) {
                boolean transientFailure = code == 408 || code == 429 || code >= 500;
                String error = errorCode(body);
                log.atWarn().setMessage("entra token request refused: status={} error={} reason={}")
                        .addArgument(code).addArgument(error).addArgument(reason)
                        .addKeyValue("event", "token_refused").addKeyValue("httpStatus", code)
                        .addKeyValue("error", error).log();
                throw new TokenUnavailableException("token endpoint answered " + code + " (" + error + ")",
                        transientFailure, code, null);
            }
            CachedToken token = parse(body, started, afterRejection);
            cached = token;
            log.atInfo().setMessage("entra token acquired: form={} lifetime={} reason={}")
                    .addArgument(config.tokenForm().wireName()).addArgument(token.lifetime).addArgument(reason)
                    .addKeyValue("event", "token_acquired").addKeyValue("lifetimeSeconds", token.lifetime.toSeconds())
                    .log();
            return token;
        } catch (IOException e) {
            log.atWarn().setMessage("entra token request failed: {}").addArgument(e.getClass().getSimpleName())
                    .addKeyValue("event", "token_io_error").log();
            throw new TokenUnavailableException("token endpoint unreachable: " + e.getClass().getSimpleName(),
                    true, null, e);
        }
    }

    private CachedToken parse(String body, Instant fetchedAt, boolean afterRejection) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new TokenUnavailableException("token response is not JSON", false, 200, null);
        }
        JsonNode accessToken = root == null ? null : root.get("access_token");
        if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isBlank()) {
            throw new TokenUnavailableException("token response has no access_token", false, 200, null);
        }
        long expiresIn = expiresIn(root.get("expires_in"));
        Duration lifetime = Duration.ofSeconds(expiresIn);
        Duration skew = config.tokenRefreshSkew();
        Duration half = lifetime.dividedBy(2);
        Duration usable = lifetime.minus(skew).compareTo(half) >= 0 ? lifetime.minus(skew) : half;
        return new CachedToken(accessToken.asText(), fetchedAt, fetchedAt.plus(usable), lifetime, afterRejection);
    }

    /** v2 sends a number, v1 a string of digits. */
    static long expiresIn(JsonNode node) {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.asLong() > 0) {
            return node.asLong();
        }
        if (node != null && node.isTextual()) {
            String text = node.asText().trim();
            if (text.matches("[0-9]{1,10}") && Long.parseLong(text) > 0) {
                return Long.parseLong(text);
            }
        }
        throw new TokenUnavailableException("token response has no usable expires_in", false, 200, null);
    }

    private static String errorCode(String body) {
        String error = MarketplaceJson.text(MarketplaceJson.parse(body), "error");
        return error == null ? "unknown" : MarketplaceJson.shorten(error);
    }

    @Override
    public String toString() {
        return "EntraTokenClient[tokenUrl=" + config.resolvedTokenUrl() + ", clientId=" + config.clientId() + ", form="
                + config.tokenForm().wireName() + ", clientSecret=****]";
    }

    private static final class CachedToken {
        final String value;
        final Instant fetchedAt;
        final Instant refreshAt;
        final Duration lifetime;
        final boolean afterRejection;

        CachedToken(String value, Instant fetchedAt, Instant refreshAt, Duration lifetime, boolean afterRejection) {
            this.value = value;
            this.fetchedAt = fetchedAt;
            this.refreshAt = refreshAt;
            this.lifetime = lifetime;
            this.afterRejection = afterRejection;
        }

        boolean fresh(Instant now) {
            return now.isBefore(refreshAt);
        }

        @Override
        public String toString() {
            return "CachedToken[****, refreshAt=" + refreshAt + "]";
        }
    }
}
