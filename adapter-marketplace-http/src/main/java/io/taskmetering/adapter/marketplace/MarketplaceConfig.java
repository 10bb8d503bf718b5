package io.taskmetering.adapter.marketplace;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the live Marketplace client needs. Built with {@link #builder()}; every value is validated once, and a
 * bad one throws a {@link MarketplaceConfigException} whose key is the documented configuration key (see
 * {@code docs/marketplace.md}). The client secret never appears in {@link #toString()}.
 *
 * @param baseUrl              Metering API base, e.g. {@code https://marketplaceapi.microsoft.com/api}
 * @param tokenUrl             Entra ID token endpoint; {@code {tenant}} is replaced by the tenant id
 * @param resourceAppId        the Marketplace API application id the token is requested for
 * @param batchSize            events per {@code /batchUsageEvent} request, 1 to 25
 * @param callTimeout          limit for one whole HTTP exchange (connect, write, read)
 * @param maxAttempts          attempts per request for 408/429/5xx/IO failures, the first one included
 * @param itemErrorMaxAttempts attempts per event for batch items answered {@code Error}, the first one included
 * @param jitter               randomization factor of the exponential backoff, {@code 0 <= jitter < 1}
 * @param retryBudget          no retry is started later than this after a request's first attempt
 * @param deadlineMargin       no attempt is started later than {@code effectiveStartTime + 24h - deadlineMargin}
 * @param tokenRefreshSkew     a token is renewed this long before it expires (at most half its lifetime)
 */
public record MarketplaceConfig(
        URI baseUrl,
        String tokenUrl,
        String tenantId,
        String clientId,
        String clientSecret,
        TokenForm tokenForm,
        String resourceAppId,
        SubmissionMode submissionMode,
        int batchSize,
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        Duration callTimeout,
        int maxAttempts,
        int itemErrorMaxAttempts,
        Duration initialBackoff,
        double backoffMultiplier,
        Duration maxBackoff,
        double jitter,
        Duration retryBudget,
        Duration deadlineMargin,
        Duration tokenRefreshSkew) {

    /** The only api-version the Metering API has. */
    public static final String API_VERSION = "2018-08-31";
    /** The Marketplace API application id in Entra ID. */
    public static final String MARKETPLACE_RESOURCE_APP_ID = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
    public static final String DEFAULT_BASE_URL = "https://marketplaceapi.microsoft.com/api";
    /** The Metering API refuses more than 25 events in one batch (HTTP 400 for the whole request). */
    public static final int MAX_BATCH_SIZE = 25;
    /** The Marketplace accepts an hour for 24 hours after its start. */
    public static final Duration MARKETPLACE_WINDOW = Duration.ofHours(24);

    /** Configuration keys, as in {@code docs/configuration.md} and {@code docs/marketplace.md}. */
    public static final class Keys {
        public static final String BASE_URL = "METERING_MARKETPLACE_BASE_URL";
        public static final String TOKEN_URL = "METERING_MARKETPLACE_TOKEN_URL";
        public static final String TENANT_ID = "METERING_MARKETPLACE_TENANT_ID";
        public static final String CLIENT_ID = "METERING_MARKETPLACE_CLIENT_ID";
        public static final String CLIENT_SECRET = "METERING_MARKETPLACE_CLIENT_SECRET";
        public static final String TOKEN_FORM = "METERING_MARKETPLACE_TOKEN_FORM";
        public static final String RESOURCE_APP_ID = "METERING_MARKETPLACE_RESOURCE_APP_ID";
        public static final String SUBMISSION = "METERING_MARKETPLACE_SUBMISSION";
        public static final String BATCH_SIZE = "METERING_MARKETPLACE_BATCH_SIZE";
        public static final String CONNECT_TIMEOUT = "METERING_MARKETPLACE_CONNECT_TIMEOUT";
        public static final String READ_TIMEOUT = "METERING_MARKETPLACE_READ_TIMEOUT";
        public static final String WRITE_TIMEOUT = "METERING_MARKETPLACE_WRITE_TIMEOUT";
        public static final String CALL_TIMEOUT = "METERING_MARKETPLACE_CALL_TIMEOUT";
        public static final String MAX_ATTEMPTS = "METERING_MARKETPLACE_MAX_ATTEMPTS";
        public static final String ITEM_ERROR_MAX_ATTEMPTS = "METERING_MARKETPLACE_ITEM_ERROR_MAX_ATTEMPTS";
        public static final String INITIAL_BACKOFF = "METERING_MARKETPLACE_INITIAL_BACKOFF";
        public static final String BACKOFF_MULTIPLIER = "METERING_MARKETPLACE_BACKOFF_MULTIPLIER";
        public static final String MAX_BACKOFF = "METERING_MARKETPLACE_MAX_BACKOFF";
        public static final String JITTER = "METERING_MARKETPLACE_JITTER";
        public static final String RETRY_BUDGET = "METERING_MARKETPLACE_RETRY_BUDGET";
        public static final String DEADLINE_MARGIN = "METERING_DEADLINE_MARGIN";
        public static final String TOKEN_REFRESH_SKEW = "METERING_MARKETPLACE_TOKEN_REFRESH_SKEW";

        private Keys() {
        }
    }

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    public MarketplaceConfig {
        baseUrl = httpsUrl(Keys.BASE_URL, baseUrl);
        tokenForm = required(Keys.TOKEN_FORM, tokenForm);
        tokenUrl = tokenUrl == null || tokenUrl.isBlank() ? tokenForm.defaultTokenUrl() : tokenUrl.trim();
        tenantId = text(Keys.TENANT_ID, tenantId);
        clientId = text(Keys.CLIENT_ID, clientId);
        clientSecret = text(Keys.CLIENT_SECRET, clientSecret);
        resourceAppId = text(Keys.RESOURCE_APP_ID, resourceAppId == null ? MARKETPLACE_RESOURCE_APP_ID : resourceAppId);
        httpsUrl(Keys.TOKEN_URL, uri(Keys.TOKEN_URL, resolveTenant(tokenUrl, tenantId)));
        submissionMode = required(Keys.SUBMISSION, submissionMode);
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new MarketplaceConfigException(Keys.BATCH_SIZE, "must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
        }
        positive(Keys.CONNECT_TIMEOUT, connectTimeout);
        positive(Keys.READ_TIMEOUT, readTimeout);
        positive(Keys.WRITE_TIMEOUT, writeTimeout);
        positive(Keys.CALL_TIMEOUT, callTimeout);
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new MarketplaceConfigException(Keys.MAX_ATTEMPTS, "must be between 1 and 100, was " + maxAttempts);
        }
        if (itemErrorMaxAttempts < 1 || itemErrorMaxAttempts > 100) {
            throw new MarketplaceConfigException(Keys.ITEM_ERROR_MAX_ATTEMPTS,
                    "must be between 1 and 100, was " + itemErrorMaxAttempts);
        }
        positive(Keys.INITIAL_BACKOFF, initialBackoff);
        if (initialBackoff.toMillis() < 1) {
            throw new MarketplaceConfigException(Keys.INITIAL_BACKOFF, "must be at least 1 ms");
        }
        if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
            throw new MarketplaceConfigException(Keys.BACKOFF_MULTIPLIER, "must be a number >= 1, was " + backoffMultiplier);
        }
        positive(Keys.MAX_BACKOFF, maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new MarketplaceConfigException(Keys.MAX_BACKOFF,
                    "must not be shorter than " + Keys.INITIAL_BACKOFF + " (" + initialBackoff + "), was " + maxBackoff);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new MarketplaceConfigException(Keys.JITTER, "must be at least 0 and below 1, was " + jitter);
        }
        nonNegative(Keys.RETRY_BUDGET, retryBudget);
        nonNegative(Keys.DEADLINE_MARGIN, deadlineMargin);
        if (deadlineMargin.compareTo(MARKETPLACE_WINDOW) >= 0) {
            throw new MarketplaceConfigException(Keys.DEADLINE_MARGIN, "must be shorter than PT24H, was " + deadlineMargin);
        }
        nonNegative(Keys.TOKEN_REFRESH_SKEW, tokenRefreshSkew);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The token endpoint with the tenant filled in. */
    public String resolvedTokenUrl() {
        return resolveTenant(tokenUrl, tenantId);
    }

    /** The last moment an attempt for an hour starting at {@code effectiveStartTime} may start. */
    public java.time.Instant lastAttemptStart(java.time.Instant effectiveStartTime) {
        return effectiveStartTime.plus(MARKETPLACE_WINDOW).minus(deadlineMargin);
    }

    @Override
    public String toString() {
        return "MarketplaceConfig[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", tenantId=" + tenantId
                + ", clientId=" + clientId + ", clientSecret=****, tokenForm=" + tokenForm.wireName()
                + ", resourceAppId=" + resourceAppId + ", submissionMode=" + submissionMode + ", batchSize=" + batchSize
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", writeTimeout=" + writeTimeout
                + ", callTimeout=" + callTimeout + ", maxAttempts=" + maxAttempts + ", itemErrorMaxAttempts="
                + itemErrorMaxAttempts + ", initialBackoff=" + initialBackoff + ", backoffMultiplier=" + backoffMultiplier
                + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter + ", retryBudget=" + retryBudget
                + ", deadlineMargin=" + deadlineMargin + ", tokenRefreshSkew=" + tokenRefreshSkew + "]";
    }

    private static String resolveTenant(String tokenUrl, String tenantId) {
        return tokenUrl.replace("{tenant}", URLEncoder.encode(tenantId, StandardCharsets.UTF_8));
    }

    private static <T> T required(String key, T value) {
        if (value == null) {
            throw new MarketplaceConfigException(key, "is required");
        }
        return value;
    }

    private static String text(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new MarketplaceConfigException(key, "is required");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new MarketplaceConfigException(key, "must not contain control characters");
            }
        }
        return value.trim();
    }

    private static void positive(String key, Duration value) {
        required(key, value);
        if (value.isNegative() || value.isZero()) {
            throw new MarketplaceConfigException(key, "must be a positive duration, was " + value);
        }
    }

    private static void nonNegative(String key, Duration value) {
        required(key, value);
        if (value.isNegative()) {
            throw new MarketplaceConfigException(key, "must not be negative, was " + value);
        }
    }

    private static URI uri(String key, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new MarketplaceConfigException(key, "must be an absolute https URL (was '" + value + "')");
        }
    }

    /** https, or plain http to a loopback host (tests and local fakes); TLS 1.2+ is enforced by the HTTP client. */
    private static URI httpsUrl(String key, URI value) {
        required(key, value);
        String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
        String host = value.getHost();
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new MarketplaceConfigException(key, "must be an absolute https URL (was '" + value + "')");
        }
        if (scheme.equals("http") && !LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
            throw new MarketplaceConfigException(key, "must use https; plain http is allowed for loopback hosts only (was '"
                    + value + "')");
        }
        if (value.getQuery() != null || value.getFragment() != null) {
            throw new MarketplaceConfigException(key, "must not carry a query or fragment (was '" + value + "')");
        }
        return value;
    }

    /** Defaults: batch mode, v2 token form, 25 per batch, 10 s connect, 30 s read/write, 60 s per call, 5 attempts. */
    public static final class Builder {
        private URI baseUrl = URI.create(DEFAULT_BASE_URL);
        private String tokenUrl;
        private String tenantId;
        private String clientId;
        private String clientSecret;
        private TokenForm tokenForm = TokenForm.V2_SCOPE;
        private String resourceAppId = MARKETPLACE_RESOURCE_APP_ID;
        private SubmissionMode submissionMode = SubmissionMode.BATCH;
        private int batchSize = MAX_BATCH_SIZE;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 5;
        private int itemErrorMaxAttempts = 3;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private double backoffMultiplier = 2.0;
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double jitter = 0.5;
        private Duration retryBudget = Duration.ofMinutes(2);
        private Duration deadlineMargin = Duration.ofMinutes(30);
        private Duration tokenRefreshSkew = Duration.ofMinutes(5);

        private Builder() {
        }

        private Builder(MarketplaceConfig c) {
            baseUrl = c.baseUrl;
            tokenUrl = c.tokenUrl;
            tenantId = c.tenantId;
            clientId = c.clientId;
            clientSecret = c.clientSecret;
            tokenForm = c.tokenForm;
            resourceAppId = c.resourceAppId;
            submissionMode = c.submissionMode;
            batchSize = c.batchSize;
            connectTimeout = c.connectTimeout;
            readTimeout = c.readTimeout;
            writeTimeout = c.writeTimeout;
            callTimeout = c.callTimeout;
            maxAttempts = c.maxAttempts;
            itemErrorMaxAttempts = c.itemErrorMaxAttempts;
            initialBackoff = c.initialBackoff;
            backoffMultiplier = c.backoffMultiplier;
            maxBackoff = c.maxBackoff;
            jitter = c.jitter;
            retryBudget = c.retryBudget;
            deadlineMargin = c.deadlineMargin;
            tokenRefreshSkew = c.tokenRefreshSkew;
        }

        public Builder baseUrl(String value) {
            baseUrl = uri(Keys.BASE_URL, Objects.requireNonNull(value, Keys.BASE_URL));
            return this;
        }

        public Builder baseUrl(URI value) {
            baseUrl = value;
            return this;
        }

        /** May contain {@code {tenant}}; null = the public endpoint of the token form. */
        public Builder tokenUrl(String value) {
            tokenUrl = value;
            return this;
        }

        public Builder tenantId(String value) {
            tenantId = value;
            return this;
        }

        public Builder clientId(String value) {
            clientId = value;
            return this;
        }

        public Builder clientSecret(String value) {
            clientSecret = value;
            return this;
        }

        public Builder tokenForm(TokenForm value) {
            tokenForm = value;
            return this;
        }

        public Builder resourceAppId(String value) {
            resourceAppId = value;
            return this;
        }

        public Builder submissionMode(SubmissionMode value) {
            submissionMode = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder readTimeout(Duration value) {
            readTimeout = value;
            return this;
        }

        public Builder writeTimeout(Duration value) {
            writeTimeout = value;
            return this;
        }

        public Builder callTimeout(Duration value) {
            callTimeout = value;
            return this;
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder itemErrorMaxAttempts(int value) {
            itemErrorMaxAttempts = value;
            return this;
        }

        public Builder initialBackoff(Duration value) {
            initialBackoff = value;
            return this;
        }

        public Builder backoffMultiplier(double value) {
            backoffMultiplier = value;
            return this;
        }

        public Builder maxBackoff(Duration value) {
            maxBackoff = value;
            return this;
        }

        public Builder jitter(double value) {
            jitter = value;
            return this;
        }

        public Builder retryBudget(Duration value) {
            retryBudget = value;
            return this;
        }

        public Builder deadlineMargin(Duration value) {
            deadlineMargin = value;
            return this;
        }

        public Builder tokenRefreshSkew(Duration value) {
            tokenRefreshSkew = value;
            return this;
        }

        public MarketplaceConfig build() {
            return new MarketplaceConfig(baseUrl, tokenUrl, tenantId, clientId, clientSecret, tokenForm, resourceAppId,
                    submissionMode, batchSize, connectTimeout, readTimeout, writeTimeout, callTimeout, maxAttempts,
                    itemErrorMaxAttempts, initialBackoff, backoffMultiplier, maxBackoff, jitter, retryBudget,
                    deadlineMargin, tokenRefreshSkew);
        }
    }
}
