package io.taskmetering.bootstrap;

import io.taskmetering.adapter.marketplace.MarketplaceConfig;
import io.taskmetering.adapter.marketplace.MarketplaceConfigException;
import io.taskmetering.adapter.rest.RestConfig;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.billing.CapLimits;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourPolicy;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.DomainException;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.trace.TraceMapping;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import static io.taskmetering.bootstrap.ConfigKey.*;

/**
 * Every setting of the service, read once at start-up from the keys of {@link ConfigKey} and built into the
 * configuration of each part: the HTTP API, the database, the Marketplace client, the billing policy and the
 * scheduler. The first value that cannot be used throws a {@link ConfigException} naming its key; no message shows a
 * secret.
 *
 * @param liveMarketplace       the live client's configuration; empty in dry-run mode
 * @param storageLivenessLimit how long storage may stay unavailable before {@code /health} asks for a restart
 * @param reconcileAt           the UTC time of day from which the scheduler reconciles the previous day
 * @param traceMapping          how OpenTelemetry spans map to tasks (attributes, settle delay, parent wait)
 * @param settleInterval        how often the scheduler decides the tasks whose traces have settled
 */
public record MeteringConfig(
        int httpPort,
        RestConfig rest,
        Database database,
        Duration storageLivenessLimit,
        Optional<MarketplaceConfig> liveMarketplace,
        BillingPolicy billingPolicy,
        Duration submitInterval,
        LocalTime reconcileAt,
        Duration claimLease,
        Duration deadlineMargin,
        Duration retention,
        String instanceId,
        TraceMapping traceMapping,
        Duration settleInterval) {

    /** What the persistence adapter is started with. The password never appears in {@link #toString()}. */
    public record Database(String url, String user, String password, int poolSize) {
        @Override
        public String toString() {
            return "Database[url=" + Redactor.text(url) + ", user=" + user + ", password=" + Redactor.SECRET
                    + ", poolSize=" + poolSize + "]";
        }
    }

    /** Reads and validates every key; the first bad value throws a {@link ConfigException} naming it. */
    public static MeteringConfig load(ConfigSource source) {
        Reader r = new Reader(source);
        return new MeteringConfig(
                r.get(HTTP_PORT),
                RestConfig.withKeys(r.get(API_KEYS)).withMaxBodyBytes(r.get(MAX_BODY_BYTES))
                        .withMaxTraceBodyBytes(r.get(OTLP_MAX_BODY_BYTES)),
                new Database(r.get(DB_URL), r.get(DB_USER), r.get(DB_PASSWORD), r.get(DB_POOL_SIZE)),
                r.get(STORAGE_LIVENESS_LIMIT),
                liveMarketplace(r),
                billingPolicy(r),
                r.get(SUBMIT_INTERVAL),
                r.get(RECONCILE_AT),
                r.get(CLAIM_LEASE),
                r.get(DEADLINE_MARGIN),
                r.get(RETENTION),
                r.get(INSTANCE_ID),
                new TraceMapping(r.get(OTLP_TASK_ID_ATTRIBUTE), r.get(OTLP_SUBSCRIPTION_ATTRIBUTE),
                        r.get(OTLP_SETTLE_DELAY), r.get(OTLP_PARENT_WAIT)),
                r.get(OTLP_SETTLE_INTERVAL));
    }

    private static BillingPolicy billingPolicy(Reader r) {
        ContractConfig contract = ContractConfig.defaults()
                .withVersion(r.get(CONTRACT_VERSION))
                .withRequiredOutputKeys(r.get(CONTRACT_REQUIRED_OUTPUT_KEYS))
                .withRequireApproval(r.get(CONTRACT_REQUIRE_APPROVAL))
                .withRequireIntentResolution(r.get(CONTRACT_REQUIRE_INTENT_RESOLUTION))
                .withIntentResolutionThreshold(r.get(CONTRACT_INTENT_THRESHOLD));
        GuardrailCaps caps = new GuardrailCaps(new CapLimits(r.get(CAP_HOURLY), r.get(CAP_DAILY)), r.get(CAP_OVERRIDES));
        return new BillingPolicy(contract, new HourPolicy(r.get(HOUR_GRACE)), caps, r.get(DEDUPE_SCOPE),
                new Dimension(r.get(DIMENSION)), new PlanId(r.get(PLAN_ID)), BillingPolicy.DEFAULT_RULE_VERSION,
                r.get(REDACT_KEYS));
    }

    /** Every Marketplace key is read (a bad value fails in dry-run too); the client is configured in live mode only. */
    private static Optional<MarketplaceConfig> liveMarketplace(Reader r) {
        boolean live = r.get(MARKETPLACE_MODE) == MarketplaceMode.LIVE;
        MarketplaceConfig.Builder builder = MarketplaceConfig.builder()
                .baseUrl(r.get(MARKETPLACE_BASE_URL))
                .tokenUrl(r.get(MARKETPLACE_TOKEN_URL))
                .tenantId(requiredForLive(r, MARKETPLACE_TENANT_ID, live))
                .clientId(requiredForLive(r, MARKETPLACE_CLIENT_ID, live))
                .clientSecret(requiredForLive(r, MARKETPLACE_CLIENT_SECRET, live))
                .submissionMode(r.get(MARKETPLACE_SUBMISSION))
                .deadlineMargin(r.get(DEADLINE_MARGIN))
                .tokenForm(r.get(MARKETPLACE_TOKEN_FORM))
                .resourceAppId(r.get(MARKETPLACE_RESOURCE_APP_ID))
                .batchSize(r.get(MARKETPLACE_BATCH_SIZE))
                .connectTimeout(r.get(MARKETPLACE_CONNECT_TIMEOUT))
                .readTimeout(r.get(MARKETPLACE_READ_TIMEOUT))
                .writeTimeout(r.get(MARKETPLACE_WRITE_TIMEOUT))
                .callTimeout(r.get(MARKETPLACE_CALL_TIMEOUT))
                .maxAttempts(r.get(MARKETPLACE_MAX_ATTEMPTS))
                .itemErrorMaxAttempts(r.get(MARKETPLACE_ITEM_ERROR_MAX_ATTEMPTS))
                .initialBackoff(r.get(MARKETPLACE_INITIAL_BACKOFF))
                .backoffMultiplier(r.get(MARKETPLACE_BACKOFF_MULTIPLIER))
                .maxBackoff(r.get(MARKETPLACE_MAX_BACKOFF))
                .jitter(r.get(MARKETPLACE_JITTER))
                .retryBudget(r.get(MARKETPLACE_RETRY_BUDGET))
                .tokenRefreshSkew(r.get(MARKETPLACE_TOKEN_REFRESH_SKEW));
        if (!live) {
            return Optional.empty();
        }
        try {
            return Optional.of(builder.build());
        } catch (MarketplaceConfigException e) {
            throw new ConfigException(e.key(), Redactor.text(e.getMessage().substring(e.key().length() + 2)));
        }
    }

    private static String requiredForLive(Reader r, ConfigKey<String> key, boolean live) {
        String value = r.get(key);
        if (live && value == null) {
            throw new ConfigException(key.name(), "is required when " + MARKETPLACE_MODE.name() + "=live");
        }
        return value;
    }

    /** Typed reads that turn any parse failure into a {@link ConfigException} naming the key, secrets left out. */
    private record Reader(ConfigSource source) {
        <T> T get(ConfigKey<T> key) {
            String raw = source.get(key.name()).orElseGet(key.fallback());
            if (raw == null) {
                return null;
            }
            try {
                return key.parse().apply(raw);
            } catch (IllegalArgumentException | DateTimeParseException | DomainException | ArithmeticException e) {
                String why = e instanceof InvalidValueException invalid ? invalid.reason() : e.getMessage();
                if (why == null) {
                    why = e.getClass().getSimpleName();
                } else if (key.secret() && !raw.isEmpty()) {
                    why = why.replace(raw, Redactor.SECRET);
                }
                throw new ConfigException(key.name(), Redactor.text(why) + " (was '" + key.shown(raw) + "')");
            }
        }
    }
}
