package io.taskmetering.bootstrap;

import io.taskmetering.domain.billing.CapLimits;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.common.DomainException;
import io.taskmetering.domain.common.SubscriptionRef;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of the service, typed and validated once at start-up. Each key is documented in
 * {@code docs/configuration.md}; an invalid value stops start-up with one line naming the key.
 */
public record MeteringConfig(
        int httpPort,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        MarketplaceMode marketplaceMode,
        URI marketplaceBaseUrl,
        String marketplaceTokenUrl,
        String marketplaceTenantId,
        String marketplaceClientId,
        String marketplaceClientSecret,
        boolean marketplaceBatch,
        String planId,
        String dimension,
        Duration hourGrace,
        Duration submitInterval,
        Duration claimLease,
        Duration deadlineMargin,
        GuardrailCaps caps,
        DedupeScope dedupeScope,
        boolean contractRequireIntentResolution,
        boolean contractRequireApproval,
        List<String> contractRequiredOutputKeys,
        double contractIntentThreshold,
        String contractVersion,
        List<ApiKeySetting> apiKeys,
        Duration retention,
        Set<String> redactKeys,
        long maxBodyBytes,
        String instanceId) {

    public enum MarketplaceMode { DRY_RUN, LIVE }

    /** One configured API key: {@code role:key[:sub1|sub2]}. */
    public record ApiKeySetting(String role, String key, Set<String> subscriptions) {
        @Override
        public String toString() {
            return "ApiKeySetting[role=" + role + ", key=****, subscriptions=" + subscriptions + "]";
        }
    }

    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/metering";
    public static final String DEFAULT_MARKETPLACE_URL = "https://marketplaceapi.microsoft.com/api";
    public static final String DEFAULT_TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token";
    static final Set<String> ROLES = Set.of("agent", "reader", "admin");

    /** Reads and validates every key; the first bad value throws a {@link ConfigException} naming it. */
    public static MeteringConfig load(ConfigSource source) {
        Reader r = new Reader(source);
        MarketplaceMode mode = r.value("METERING_MARKETPLACE_MODE", "dry-run", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "dry-run", "dryrun", "dry_run" -> MarketplaceMode.DRY_RUN;
            case "live" -> MarketplaceMode.LIVE;
            default -> throw new IllegalArgumentException("must be dry-run or live");
        });
        String tenant = r.string("METERING_MARKETPLACE_TENANT_ID", null);
        String clientId = r.string("METERING_MARKETPLACE_CLIENT_ID", null);
        String secret = r.string("METERING_MARKETPLACE_CLIENT_SECRET", null);
        if (mode == MarketplaceMode.LIVE) {
            requireForLive("METERING_MARKETPLACE_TENANT_ID", tenant);
            requireForLive("METERING_MARKETPLACE_CLIENT_ID", clientId);
            requireForLive("METERING_MARKETPLACE_CLIENT_SECRET", secret);
        }
        long hourly = r.nonNegativeLong("METERING_CAP_HOURLY", 0);
        long daily = r.nonNegativeLong("METERING_CAP_DAILY", 0);
        GuardrailCaps caps = new GuardrailCaps(new CapLimits(hourly, daily),
                r.value("METERING_CAP_OVERRIDES", "", MeteringConfig::parseCapOverrides));
        Duration grace = r.duration("METERING_HOUR_GRACE", "PT10M");
        if (grace.compareTo(Duration.ofHours(23)) > 0) {
            throw new ConfigException("METERING_HOUR_GRACE", "must be at most PT23H, was " + grace);
        }
        return new MeteringConfig(
                r.port("METERING_HTTP_PORT", 8080),
                r.value("METERING_DB_URL", DEFAULT_DB_URL, MeteringConfig::jdbcUrl),
                r.string("METERING_DB_USER", "sa"),
                r.string("METERING_DB_PASSWORD", ""),
                (int) r.positiveLong("METERING_DB_POOL_SIZE", 10),
                mode,
                r.value("METERING_MARKETPLACE_BASE_URL", DEFAULT_MARKETPLACE_URL, MeteringConfig::httpUrl),
                r.value("METERING_MARKETPLACE_TOKEN_URL", DEFAULT_TOKEN_URL, v -> {
                    httpUrl(v.replace("{tenant}", "tenant"));
                    return v;
                }),
                tenant, clientId, secret,
                r.value("METERING_MARKETPLACE_SUBMISSION", "batch", v -> switch (v.toLowerCase(Locale.ROOT)) {
                    case "batch" -> true;
                    case "single" -> false;
                    default -> throw new IllegalArgumentException("must be batch or single");
                }),
                r.id("METERING_PLAN_ID", "default"),
                r.id("METERING_DIMENSION", "task_completed"),
                grace,
                r.positiveDuration("METERING_SUBMIT_INTERVAL", "PT1M"),
                r.positiveDuration("METERING_CLAIM_LEASE", "PT5M"),
                r.positiveDuration("METERING_DEADLINE_MARGIN", "PT30M"),
                caps,
                r.value("METERING_DEDUPE_SCOPE", "task", DedupeScope::parse),
                r.bool("METERING_CONTRACT_REQUIRE_INTENT_RESOLUTION", false),
                r.bool("METERING_CONTRACT_REQUIRE_APPROVAL", false),
                r.value("METERING_CONTRACT_REQUIRED_OUTPUT_KEYS", "", MeteringConfig::commaList),
                r.value("METERING_CONTRACT_INTENT_THRESHOLD", "3.0", MeteringConfig::threshold),
                r.id("METERING_CONTRACT_VERSION", "default-v1"),
                r.value("METERING_API_KEYS", "", MeteringConfig::parseApiKeys),
                r.positiveDuration("METERING_RETENTION", "P90D"),
                r.value("METERING_REDACT_KEYS", "", v -> new LinkedHashSet<>(commaList(v))),
                r.positiveLong("METERING_MAX_BODY_BYTES", 1_048_576),
                r.id("METERING_INSTANCE_ID", defaultInstanceId()));
    }

    private static void requireForLive(String key, String value) {
        if (value == null) {
            throw new ConfigException(key, "is required when METERING_MARKETPLACE_MODE=live");
        }
    }

    private static String defaultInstanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "local");
        return host + "-" + ProcessHandle.current().pid();
    }

    static String jdbcUrl(String value) {
        if (!value.startsWith("jdbc:h2:") && !value.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        return value;
    }

    static URI httpUrl(String value) {
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("must be an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("must be an http(s) URL");
        }
    }

    static double threshold(String value) {
        double d = Double.parseDouble(value);
        if (!Double.isFinite(d) || d < 0) {
            throw new IllegalArgumentException("must be a non-negative number");
        }
        return d;
    }

    static List<String> commaList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }

    /** {@code sub-a=100/1000,sub-b=0/500}: hourly/daily per subscription, 0 = unlimited. */
    static Map<SubscriptionRef, CapLimits> parseCapOverrides(String value) {
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

    /** {@code role:key[:sub1|sub2]}, comma separated. */
    static List<ApiKeySetting> parseApiKeys(String value) {
        List<ApiKeySetting> keys = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String item : commaList(value)) {
            String[] parts = item.split(":", 3);
            if (parts.length < 2 || !ROLES.contains(parts[0].trim())) {
                throw new IllegalArgumentException("entries are role:key[:sub1|sub2] with role agent, reader or admin");
            }
            String key = parts[1].trim();
            if (key.length() < 16) {
                throw new IllegalArgumentException("keys must be at least 16 characters");
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException("the same key is configured twice");
            }
            Set<String> subs = parts.length == 3
                    ? new LinkedHashSet<>(Arrays.stream(parts[2].split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                    : Set.of();
            keys.add(new ApiKeySetting(parts[0].trim(), key, Set.copyOf(subs)));
        }
        return List.copyOf(keys);
    }

    /** Typed reads that turn any parse failure into a {@link ConfigException} naming the key. */
    private static final class Reader {
        private final ConfigSource source;

        Reader(ConfigSource source) {
            this.source = source;
        }

        <T> T value(String key, String fallback, Function<String, T> parse) {
            String raw = source.get(key).orElse(fallback);
            try {
                return parse.apply(raw);
            } catch (ConfigException e) {
                throw e;
            } catch (IllegalArgumentException | DateTimeParseException | DomainException | ArithmeticException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new ConfigException(key, why + " (was '" + raw + "')");
            }
        }

        String string(String key, String fallback) {
            return source.get(key).orElse(fallback);
        }

        String id(String key, String fallback) {
            return value(key, fallback, v -> {
                io.taskmetering.domain.common.Require.id(key, v);
                return v;
            });
        }

        boolean bool(String key, boolean fallback) {
            return value(key, Boolean.toString(fallback), v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new IllegalArgumentException("must be true or false");
            });
        }

        long nonNegativeLong(String key, long fallback) {
            return value(key, Long.toString(fallback), v -> {
                long n = Long.parseLong(v);
                if (n < 0) {
                    throw new IllegalArgumentException("must not be negative");
                }
                return n;
            });
        }

        long positiveLong(String key, long fallback) {
            return value(key, Long.toString(fallback), v -> {
                long n = Long.parseLong(v);
                if (n <= 0 || n > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("must be a positive whole number");
                }
                return n;
            });
        }

        int port(String key, int fallback) {
            return value(key, Integer.toString(fallback), v -> {
                int n = Integer.parseInt(v);
                if (n < 0 || n > 65535) {
                    throw new IllegalArgumentException("must be a port between 0 and 65535");
                }
                return n;
            });
        }

        Duration duration(String key, String fallback) {
            return value(key, fallback, v -> {
                Duration d = Duration.parse(v);
                if (d.isNegative()) {
                    throw new IllegalArgumentException("must not be negative");
                }
                return d;
            });
        }

        Duration positiveDuration(String key, String fallback) {
            return value(key, fallback, v -> {
                Duration d = Duration.parse(v);
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("must be a positive ISO-8601 duration like PT1M");
                }
                return d;
            });
        }
    }

    @Override
    public String toString() {
        return "MeteringConfig[httpPort=" + httpPort + ", dbUrl=" + dbUrl + ", marketplaceMode=" + marketplaceMode
                + ", planId=" + planId + ", dimension=" + dimension + ", hourGrace=" + hourGrace + ", apiKeys="
                + apiKeys.size() + ", instanceId=" + instanceId + "]";
    }
}
