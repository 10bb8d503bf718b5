package io.taskmetering.bootstrap;

import io.taskmetering.adapter.marketplace.MarketplaceConfig;
import io.taskmetering.adapter.marketplace.SubmissionMode;
import io.taskmetering.adapter.marketplace.TokenForm;
import io.taskmetering.adapter.rest.ApiKeyConfig;
import io.taskmetering.adapter.rest.RestConfig;
import io.taskmetering.adapter.rest.Role;
import io.taskmetering.domain.billing.CapLimits;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.trace.TraceMapping;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every configuration key of the service, declared once: its name, its default as {@code docs/configuration.md}
 * shows it, how a value is read, and whether the value is a secret that is never printed. {@link MeteringConfig}
 * reads every key through this table and nothing else; a test holds {@code docs/configuration.md} to it.
 *
 * @param documentedDefault the default as the documentation writes it; null or empty: none
 * @param fallback          the raw value used when the key is not set (the documented default, or computed)
 * @param parse             turns a raw value into the typed one; throws {@link IllegalArgumentException} (or a
 *                          {@code DateTimeParseException}, {@code DomainException}) to refuse it
 * @param secret            the value is a credential: shown as {@link Redactor#SECRET} in every message
 */
record ConfigKey<T>(String name, String documentedDefault, Supplier<String> fallback, Function<String, T> parse,
                    boolean secret) {

    enum MarketplaceMode { DRY_RUN, LIVE }

    // ---- service ------------------------------------------------------------------------------------------------
    static final ConfigKey<Integer> HTTP_PORT = key("METERING_HTTP_PORT", "8080", ConfigKey::port);
    static final ConfigKey<String> INSTANCE_ID = new ConfigKey<>("METERING_INSTANCE_ID", "$HOSTNAME-<pid>",
            ConfigKey::hostAndPid, ConfigKey::id, false);
    static final ConfigKey<Long> MAX_BODY_BYTES = key("METERING_MAX_BODY_BYTES",
            Long.toString(RestConfig.DEFAULT_MAX_BODY_BYTES), ConfigKey::bodyLimit);
    static final ConfigKey<List<ApiKeyConfig>> API_KEYS = secret("METERING_API_KEYS", "", ConfigKey::apiKeys);

    // ---- database -----------------------------------------------------------------------------------------------
    static final ConfigKey<String> DB_URL = key("METERING_DB_URL", "jdbc:h2:file:./data/metering", ConfigKey::jdbcUrl);
    static final ConfigKey<String> DB_USER = key("METERING_DB_USER", "sa", v -> v);
    static final ConfigKey<String> DB_PASSWORD = secret("METERING_DB_PASSWORD", "", v -> v);
    static final ConfigKey<Integer> DB_POOL_SIZE = key("METERING_DB_POOL_SIZE", "10", ConfigKey::positiveInt);
    static final ConfigKey<Duration> STORAGE_LIVENESS_LIMIT = key("METERING_STORAGE_LIVENESS_LIMIT", "PT5M",
            ConfigKey::positiveDuration);

    // ---- Marketplace --------------------------------------------------------------------------------------------
    static final ConfigKey<MarketplaceMode> MARKETPLACE_MODE = key("METERING_MARKETPLACE_MODE", "dry-run",
            ConfigKey::marketplaceMode);
    static final ConfigKey<URI> MARKETPLACE_BASE_URL = key(MarketplaceConfig.Keys.BASE_URL,
            MarketplaceConfig.DEFAULT_BASE_URL, ConfigKey::httpUrl);
    /** Not set: the public endpoint of the token form (the v2 one by default). */
    static final ConfigKey<String> MARKETPLACE_TOKEN_URL = new ConfigKey<>(MarketplaceConfig.Keys.TOKEN_URL,
            TokenForm.V2_SCOPE.defaultTokenUrl(), () -> null, v -> {
                httpUrl(v.replace("{tenant}", "tenant"));
                return v;
            }, false);
    static final ConfigKey<String> MARKETPLACE_TENANT_ID = key(MarketplaceConfig.Keys.TENANT_ID, null, v -> v);
    static final ConfigKey<String> MARKETPLACE_CLIENT_ID = key(MarketplaceConfig.Keys.CLIENT_ID, null, v -> v);
    static final ConfigKey<String> MARKETPLACE_CLIENT_SECRET = secret(MarketplaceConfig.Keys.CLIENT_SECRET, null, v -> v);
    static final ConfigKey<SubmissionMode> MARKETPLACE_SUBMISSION = key(MarketplaceConfig.Keys.SUBMISSION, "batch",
            SubmissionMode::parse);
    static final ConfigKey<String> PLAN_ID = key("METERING_PLAN_ID", "default", ConfigKey::id);
    static final ConfigKey<String> DIMENSION = key("METERING_DIMENSION", "task_completed", ConfigKey::id);
    static final ConfigKey<Duration> SUBMIT_INTERVAL = key("METERING_SUBMIT_INTERVAL", "PT1M", ConfigKey::positiveDuration);
    static final ConfigKey<LocalTime> RECONCILE_AT = key("METERING_RECONCILE_AT", "02:00", ConfigKey::timeOfDay);
    static final ConfigKey<Duration> CLAIM_LEASE = key("METERING_CLAIM_LEASE", "PT5M", ConfigKey::positiveDuration);
    static final ConfigKey<Duration> DEADLINE_MARGIN = key(MarketplaceConfig.Keys.DEADLINE_MARGIN, "PT30M",
            ConfigKey::positiveDuration);
    static final ConfigKey<TokenForm> MARKETPLACE_TOKEN_FORM = key(MarketplaceConfig.Keys.TOKEN_FORM, "v2-scope",
            TokenForm::parse);
    static final ConfigKey<String> MARKETPLACE_RESOURCE_APP_ID = key(MarketplaceConfig.Keys.RESOURCE_APP_ID,
            MarketplaceConfig.MARKETPLACE_RESOURCE_APP_ID, v -> v);
    static final ConfigKey<Integer> MARKETPLACE_BATCH_SIZE = key(MarketplaceConfig.Keys.BATCH_SIZE,
            Integer.toString(MarketplaceConfig.MAX_BATCH_SIZE), Integer::parseInt);
    static final ConfigKey<Duration> MARKETPLACE_CONNECT_TIMEOUT = key(MarketplaceConfig.Keys.CONNECT_TIMEOUT, "PT10S",
            Duration::parse);
    static final ConfigKey<Duration> MARKETPLACE_READ_TIMEOUT = key(MarketplaceConfig.Keys.READ_TIMEOUT, "PT30S",
            Duration::parse);
    static final ConfigKey<Duration> MARKETPLACE_WRITE_TIMEOUT = key(MarketplaceConfig.Keys.WRITE_TIMEOUT, "PT30S",
            Duration::parse);
    static final ConfigKey<Duration> MARKETPLACE_CALL_TIMEOUT = key(MarketplaceConfig.Keys.CALL_TIMEOUT, "PT60S",
            Duration::parse);
    static final ConfigKey<Integer> MARKETPLACE_MAX_ATTEMPTS = key(MarketplaceConfig.Keys.MAX_ATTEMPTS, "5",
            Integer::parseInt);
    static final ConfigKey<Integer> MARKETPLACE_ITEM_ERROR_MAX_ATTEMPTS = key(MarketplaceConfig.Keys.ITEM_ERROR_MAX_ATTEMPTS,
            "3", Integer::parseInt);
    static final ConfigKey<Duration> MARKETPLACE_INITIAL_BACKOFF = key(MarketplaceConfig.Keys.INITIAL_BACKOFF, "PT1S",
            Duration::parse);
    static final ConfigKey<Double> MARKETPLACE_BACKOFF_MULTIPLIER = key(MarketplaceConfig.Keys.BACKOFF_MULTIPLIER, "2.0",
            Double::parseDouble);
    static final ConfigKey<Duration> MARKETPLACE_MAX_BACKOFF = key(MarketplaceConfig.Keys.MAX_BACKOFF, "PT30S",
            Duration::parse);
    static final ConfigKey<Double> MARKETPLACE_JITTER = key(MarketplaceConfig.Keys.JITTER, "0.5", Double::parseDouble);
    static final ConfigKey<Duration> MARKETPLACE_RETRY_BUDGET = key(MarketplaceConfig.Keys.RETRY_BUDGET, "PT2M",
            Duration::parse);
    static final ConfigKey<Duration> MARKETPLACE_TOKEN_REFRESH_SKEW = key(MarketplaceConfig.Keys.TOKEN_REFRESH_SKEW,
            "PT5M", Duration::parse);

    // ---- billing rules ------------------------------------------------------------------------------------------
    static final ConfigKey<Duration> HOUR_GRACE = key("METERING_HOUR_GRACE", "PT10M", ConfigKey::hourGrace);
    static final ConfigKey<Long> CAP_HOURLY = key("METERING_CAP_HOURLY", "0", ConfigKey::nonNegativeLong);
    static final ConfigKey<Long> CAP_DAILY = key("METERING_CAP_DAILY", "0", ConfigKey::nonNegativeLong);
    static final ConfigKey<Map<SubscriptionRef, CapLimits>> CAP_OVERRIDES = key("METERING_CAP_OVERRIDES", "",
            ConfigKey::capOverrides);
    static final ConfigKey<DedupeScope> DEDUPE_SCOPE = key("METERING_DEDUPE_SCOPE", "task", DedupeScope::parse);
    static final ConfigKey<String> CONTRACT_VERSION = key("METERING_CONTRACT_VERSION", "default-v1", ConfigKey::id);
    static final ConfigKey<Boolean> CONTRACT_REQUIRE_INTENT_RESOLUTION = key(
            "METERING_CONTRACT_REQUIRE_INTENT_RESOLUTION", "false", ConfigKey::bool);
    static final ConfigKey<Double> CONTRACT_INTENT_THRESHOLD = key("METERING_CONTRACT_INTENT_THRESHOLD", "3.0",
            ConfigKey::threshold);
    static final ConfigKey<Boolean> CONTRACT_REQUIRE_APPROVAL = key("METERING_CONTRACT_REQUIRE_APPROVAL", "false",
            ConfigKey::bool);
    static final ConfigKey<List<String>> CONTRACT_REQUIRED_OUTPUT_KEYS = key("METERING_CONTRACT_REQUIRED_OUTPUT_KEYS", "",
            ConfigKey::commaList);
    static final ConfigKey<Set<String>> REDACT_KEYS = key("METERING_REDACT_KEYS", "",
            v -> new LinkedHashSet<>(commaList(v)));
    static final ConfigKey<Duration> RETENTION = key("METERING_RETENTION", "P90D", ConfigKey::positiveDuration);

    // ---- OpenTelemetry traces (POST /v1/traces) -----------------------------------------------------------------
    static final ConfigKey<Long> OTLP_MAX_BODY_BYTES = key("METERING_OTLP_MAX_BODY_BYTES",
            Long.toString(RestConfig.DEFAULT_MAX_TRACE_BODY_BYTES), ConfigKey::bodyLimit);
    static final ConfigKey<String> OTLP_TASK_ID_ATTRIBUTE = key("METERING_OTLP_TASK_ID_ATTRIBUTE",
            TraceMapping.defaults().taskIdAttribute(), ConfigKey::id);
    static final ConfigKey<String> OTLP_SUBSCRIPTION_ATTRIBUTE = key("METERING_OTLP_SUBSCRIPTION_ATTRIBUTE",
            TraceMapping.defaults().subscriptionAttribute(), ConfigKey::id);
    static final ConfigKey<Duration> OTLP_SETTLE_DELAY = key("METERING_OTLP_SETTLE_DELAY",
            TraceMapping.defaults().settleDelay().toString(), ConfigKey::traceWait);
    static final ConfigKey<Duration> OTLP_PARENT_WAIT = key("METERING_OTLP_PARENT_WAIT",
            TraceMapping.defaults().parentWait().toString(), ConfigKey::traceWait);
    static final ConfigKey<Duration> OTLP_SETTLE_INTERVAL = key("METERING_OTLP_SETTLE_INTERVAL", "PT1S",
            ConfigKey::positiveDuration);

    /** The whole table, in the order of {@code docs/configuration.md}. */
    static final List<ConfigKey<?>> ALL = List.of(
            HTTP_PORT, INSTANCE_ID, MAX_BODY_BYTES, API_KEYS,
            DB_URL, DB_USER, DB_PASSWORD, DB_POOL_SIZE, STORAGE_LIVENESS_LIMIT,
            MARKETPLACE_MODE, MARKETPLACE_BASE_URL, MARKETPLACE_TOKEN_URL, MARKETPLACE_TENANT_ID, MARKETPLACE_CLIENT_ID,
            MARKETPLACE_CLIENT_SECRET, MARKETPLACE_SUBMISSION, PLAN_ID, DIMENSION, SUBMIT_INTERVAL, RECONCILE_AT,
            CLAIM_LEASE,
            DEADLINE_MARGIN, MARKETPLACE_TOKEN_FORM, MARKETPLACE_RESOURCE_APP_ID, MARKETPLACE_BATCH_SIZE,
            MARKETPLACE_CONNECT_TIMEOUT, MARKETPLACE_READ_TIMEOUT, MARKETPLACE_WRITE_TIMEOUT, MARKETPLACE_CALL_TIMEOUT,
            MARKETPLACE_MAX_ATTEMPTS, MARKETPLACE_ITEM_ERROR_MAX_ATTEMPTS, MARKETPLACE_INITIAL_BACKOFF,
            MARKETPLACE_BACKOFF_MULTIPLIER, MARKETPLACE_MAX_BACKOFF, MARKETPLACE_JITTER, MARKETPLACE_RETRY_BUDGET,
            MARKETPLACE_TOKEN_REFRESH_SKEW,
            HOUR_GRACE, CAP_HOURLY, CAP_DAILY, CAP_OVERRIDES, DEDUPE_SCOPE, CONTRACT_VERSION,
            CONTRACT_REQUIRE_INTENT_RESOLUTION, CONTRACT_INTENT_THRESHOLD, CONTRACT_REQUIRE_APPROVAL,
            CONTRACT_REQUIRED_OUTPUT_KEYS, REDACT_KEYS, RETENTION,
            OTLP_MAX_BODY_BYTES, OTLP_TASK_ID_ATTRIBUTE, OTLP_SUBSCRIPTION_ATTRIBUTE, OTLP_SETTLE_DELAY, OTLP_PARENT_WAIT,
            OTLP_SETTLE_INTERVAL);

    /** A UTC time of day, {@code HH:MM}. */
    static LocalTime timeOfDay(String value) {
        if (!value.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
            throw new IllegalArgumentException("must be a UTC time of day HH:MM, e.g. 02:00");
        }
        return LocalTime.parse(value);
    }

    private static <T> ConfigKey<T> key(String name, String defaultValue, Function<String, T> parse) {
        return new ConfigKey<>(name, defaultValue, () -> defaultValue, parse, false);
    }

    private static <T> ConfigKey<T> secret(String name, String defaultValue, Function<String, T> parse) {
        return new ConfigKey<>(name, defaultValue, () -> defaultValue, parse, true);
    }

    /** The value as it may appear in a message: a secret never, anything else with its passwords removed. */
    String shown(String raw) {
        return secret ? Redactor.SECRET : Redactor.text(raw);
    }

    // ---- parsers ------------------------------------------------------------------------------------------------

    private static String hostAndPid() {
        return System.getenv().getOrDefault("HOSTNAME", "local") + "-" + ProcessHandle.current().pid();
    }

    private static String id(String value) {
        return Require.id("value", value);
    }

    private static int port(String value) {
        int n = Integer.parseInt(value);
        if (n < 0 || n > 65535) {
            throw new IllegalArgumentException("must be a port between 0 and 65535");
        }
        return n;
    }

    private static int positiveInt(String value) {
        int n = Integer.parseInt(value);
        if (n <= 0) {
            throw new IllegalArgumentException("must be a positive whole number");
        }
        return n;
    }

    private static long nonNegativeLong(String value) {
        long n = Long.parseLong(value);
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return n;
    }

    private static long bodyLimit(String value) {
        long n = Long.parseLong(value);
        if (n < 1024 || n > RestConfig.MAX_BODY_BYTES_CEILING) {
            throw new IllegalArgumentException("must be between 1024 and " + RestConfig.MAX_BODY_BYTES_CEILING);
        }
        return n;
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static Duration positiveDuration(String value) {
        Duration d = Duration.parse(value);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be a positive ISO-8601 duration like PT1M");
        }
        return d;
    }

    /** An hour must close while the Marketplace still accepts it (24 hours after its start). */
    private static Duration hourGrace(String value) {
        Duration d = Duration.parse(value);
        if (d.isNegative()) {
            throw new IllegalArgumentException("must not be negative");
        }
        if (d.compareTo(Duration.ofHours(23)) > 0) {
            throw new IllegalArgumentException("must be at most PT23H, was " + d);
        }
        return d;
    }

    /** How long a trace waits before it is decided: far inside the hour grace (the domain's bound). */
    private static Duration traceWait(String value) {
        Duration d = Duration.parse(value);
        if (d.isNegative() || d.compareTo(TraceMapping.MAX_WAIT) > 0) {
            throw new IllegalArgumentException("must be between PT0S and " + TraceMapping.MAX_WAIT + ", was " + d);
        }
        return d;
    }

    private static double threshold(String value) {
        double d = Double.parseDouble(value);
        if (!Double.isFinite(d) || d < 0) {
            throw new IllegalArgumentException("must be a non-negative number");
        }
        return d;
    }

    private static MarketplaceMode marketplaceMode(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "dry-run", "dryrun", "dry_run" -> MarketplaceMode.DRY_RUN;
            case "live" -> MarketplaceMode.LIVE;
            default -> throw new IllegalArgumentException("must be dry-run or live");
        };
    }

    private static String jdbcUrl(String value) {
        if (!value.startsWith("jdbc:h2:") && !value.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        return value;
    }

    private static URI httpUrl(String value) {
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("must be an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be an http(s) URL");
        }
    }

    private static List<String> commaList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }

    /** {@code sub-a=100/1000,sub-b=0/500}: hourly/daily per subscription, 0 = unlimited. */
    private static Map<SubscriptionRef, CapLimits> capOverrides(String value) {
        Map<SubscriptionRef, CapLimits> overrides = new HashMap<>();
        for (String item : commaList(value)) {
            String[] parts = item.split("[=/]");
            if (parts.length != 3) {
                throw new IllegalArgumentException("entries are subscription=hourly/daily, was '" + item + "'");
            }
            overrides.put(new SubscriptionRef(parts[0].trim()),
                    new CapLimits(Long.parseLong(parts[1].trim()), Long.parseLong(parts[2].trim())));
        }
        return overrides;
    }

    /**
     * {@code role:key[:sub1|sub2]}, comma separated; each key is named by its role and position ({@code agent-1},
     * {@code admin-2}), which is what request logs show instead of the key. Messages never repeat a key.
     */
    private static List<ApiKeyConfig> apiKeys(String value) {
        List<ApiKeyConfig> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String item : commaList(value)) {
            String[] parts = item.split(":", 3);
            String role = parts[0].trim();
            if (parts.length < 2 || !Set.of("agent", "reader", "admin").contains(role)) {
                throw new IllegalArgumentException("entries are role:key[:sub1|sub2] with role agent, reader or admin");
            }
            String key = parts[1].trim();
            if (key.length() < ApiKeyConfig.MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("keys must be at least " + ApiKeyConfig.MIN_KEY_LENGTH + " characters");
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException("the same key is configured twice");
            }
            Set<String> subscriptions = parts.length == 3
                    ? new LinkedHashSet<>(Arrays.stream(parts[2].split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                    : Set.of();
            keys.add(new ApiKeyConfig(role + "-" + (keys.size() + 1), key, Role.parse(role), subscriptions));
        }
        return List.copyOf(keys);
    }
}
