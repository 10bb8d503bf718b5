package io.taskmetering.bootstrap;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskmetering.adapter.marketplace.DryRunMarketplaceClient;
import io.taskmetering.adapter.marketplace.MarketplaceHttpClient;
import io.taskmetering.adapter.persistence.PersistenceModule;
import io.taskmetering.adapter.rest.RestApi;
import io.taskmetering.adapter.rest.UseCases;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.CreateContractVersionResult;
import io.taskmetering.application.port.out.MarketplaceReconciliationPort;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.application.service.MeteringUseCases;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.usage.RetentionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole service, wired by hand: persistence and the Marketplace client, the use cases from the application's one
 * wiring ({@link MeteringUseCases}), the HTTP API and the scheduler. {@link #close()} stops in reverse order: no new
 * requests, in-flight ones finished (queued single outcomes committed), the submission run in progress finished, then
 * the database.
 */
final class MeteringService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringService.class);

    private final MeteringConfig config;
    private final PersistenceModule persistence;
    private final MeteringUseCases useCases;
    private final BillingScheduler scheduler;
    private final RestApi api;
    private final MarketplaceSubmissionPort marketplace;
    private int port = -1;

    private MeteringService(MeteringConfig config, Clock clock, boolean withApi) {
        this.config = config;
        this.persistence = openDatabase(config, clock);
        try {
            this.marketplace = marketplace(config);
            this.useCases = new MeteringUseCases(persistence.ports(), marketplace, reconciliation(marketplace), clock,
                    new TimeOrderedIds(clock), config.billingPolicy(), new MeteringUseCases.Settings(config.instanceId(), config.claimLease(),
                            config.deadlineMargin(), new RetentionPolicy(config.retention()),
                            config.traceMapping()));
            defineBootstrapContract(useCases, config.billingPolicy().contract());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.api = withApi ? new RestApi(restUseCases(useCases), config.rest(), registry, persistence::ready,
                    this::live, clock) : null;
            if (api != null) {
                api.metrics().registerStorageOutage(() -> persistence.unavailableFor().toMillis() / 1000.0);
            }
            this.scheduler = new BillingScheduler(useCases.closeHours(), useCases.submitUsageEvents(),
                    useCases.purgeExpired(), useCases.reconcile(), config.reconcileAt(), config.submitInterval(), clock,
                    () -> persistence.unavailableFor().isZero(),
                    run -> {
                        if (api != null) {
                            api.metrics().recordSubmissions(run);
                        }
                    },
                    useCases.settleTraces(), config.settleInterval(),
                    run -> {
                        if (api != null) {
                            api.metrics().recordSettle(run);
                        }
                    });
        } catch (RuntimeException e) {
            persistence.close();
            throw e;
        }
    }

    /**
     * Liveness: false once storage has been unavailable for longer than {@code METERING_STORAGE_LIVENESS_LIMIT}. The
     * persistence adapter reopens the database and probes it by itself; an outage that outlasts the limit is one it
     * cannot get out of (or one a restart may cure), so {@code /health} asks the orchestrator to restart the process.
     */
    private boolean live() {
        return persistence.unavailableFor().compareTo(config.storageLivenessLimit()) <= 0;
    }

    /** Migrates, starts the HTTP API and the scheduler. */
    static MeteringService serve(MeteringConfig config, Clock clock) {
        MeteringService service = new MeteringService(config, clock, true);
        try {
            service.port = startApi(service.api, config.httpPort());
            service.scheduler.start();
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /**
     * Opens the pool and migrates. A database that cannot be reached, opened or migrated stops start-up with one line
     * naming {@code METERING_DB_URL} and the cause, not a stack trace.
     */
    private static PersistenceModule openDatabase(MeteringConfig config, Clock clock) {
        MeteringConfig.Database db = config.database();
        try {
            return PersistenceModule.start(db.url(), db.user(), db.password(), db.poolSize(), clock);
        } catch (RuntimeException e) {
            LOG.debug("event=database_open_failed", e);
            throw new ConfigException(ConfigKey.DB_URL.name(), "cannot open the database " + Redactor.text(db.url())
                    + " as user '" + db.user() + "' (see also " + ConfigKey.DB_USER.name() + ", "
                    + ConfigKey.DB_PASSWORD.name() + "): " + Redactor.text(cause(e)));
        }
    }

    /**
     * The configured contract (METERING_CONTRACT_VERSION and the settings beside it) defines the version it names, or
     * must equal it when that is stored: a version never changes, so other settings under a stored id stop start-up
     * with one line naming the keys that differ.
     */
    private static void defineBootstrapContract(MeteringUseCases useCases, ContractConfig configured) {
        CreateContractVersionResult result = useCases.createContractVersion()
                .create(new CreateContractVersionCommand(configured));
        if (result instanceof CreateContractVersionResult.SettingsConflict conflict) {
            ContractConfig stored = conflict.existing().settings();
            List<String> differing = new ArrayList<>();
            if (!stored.requiredOutputKeys().equals(configured.requiredOutputKeys())) {
                differing.add(ConfigKey.CONTRACT_REQUIRED_OUTPUT_KEYS.name() + " (stored: "
                        + String.join(",", stored.requiredOutputKeys()) + ")");
            }
            if (stored.requireApproval() != configured.requireApproval()) {
                differing.add(ConfigKey.CONTRACT_REQUIRE_APPROVAL.name() + " (stored: " + stored.requireApproval() + ")");
            }
            if (stored.requireIntentResolution() != configured.requireIntentResolution()) {
                differing.add(ConfigKey.CONTRACT_REQUIRE_INTENT_RESOLUTION.name() + " (stored: "
                        + stored.requireIntentResolution() + ")");
            }
            if (Double.compare(stored.intentResolutionThreshold(), configured.intentResolutionThreshold()) != 0) {
                differing.add(ConfigKey.CONTRACT_INTENT_THRESHOLD.name() + " (stored: "
                        + stored.intentResolutionThreshold() + ")");
            }
            if (stored.holdAmbiguousForReview() != configured.holdAmbiguousForReview()) {
                differing.add("hold_ambiguous_for_review (stored: " + stored.holdAmbiguousForReview() + ")");
            }
            throw new ConfigException(ConfigKey.CONTRACT_VERSION.name(), "contract version '" + configured.version()
                    + "' is stored with other settings, and a version never changes; differing: "
                    + String.join(", ", differing) + ". Name a new version, or configure the stored settings");
        }
    }

    /** A port that is taken stops start-up with one line naming {@code METERING_HTTP_PORT}. */
    private static int startApi(RestApi api, int port) {
        try {
            return api.start(port);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) {
                    throw new ConfigException(ConfigKey.HTTP_PORT.name(),
                            "cannot listen on port " + port + ": " + t.getMessage());
                }
            }
            throw e;
        }
    }

    /** The first message in the cause chain, on one line. */
    static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().replaceAll("\\s+", " ").trim();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The storage, use cases and scheduler without the HTTP API (for one-shot commands and benchmarks). */
    static MeteringService headless(MeteringConfig config, Clock clock) {
        return new MeteringService(config, clock, false);
    }

    private static MarketplaceSubmissionPort marketplace(MeteringConfig config) {
        return config.liveMarketplace().<MarketplaceSubmissionPort>map(MarketplaceHttpClient::create)
                .orElseGet(DryRunMarketplaceClient::new);
    }

    /** Only a live Marketplace can be read back; a dry-run client was never sent anything. */
    private static Optional<MarketplaceReconciliationPort> reconciliation(MarketplaceSubmissionPort marketplace) {
        return marketplace instanceof MarketplaceHttpClient live ? Optional.of(live.reconciliationClient())
                : Optional.empty();
    }

    private static UseCases restUseCases(MeteringUseCases u) {
        return new UseCases(u.recordOutcome(), u.recordOutcomeBatch(), u.evaluateOutcome(), u.reviewCharge(),
                u.disputeCharge(), u.resolveDispute(), u.closeHours(), u.submitUsageEvents(), u.recordUsage(),
                u.purgeExpired(), u.charges(), u.usage(), u.usageEvents(),
                u.createContractVersion(), u.activateContract(), u.contracts(), u.startShadow(), u.stopShadow(),
                u.shadows(), u.replays(), u.insights(), u.reconcile(), u.reconciliations(), u.ingestTraces());
    }

    int port() {
        return port;
    }

    MeteringUseCases useCases() {
        return useCases;
    }

    BillingScheduler scheduler() {
        return scheduler;
    }

    MeteringConfig config() {
        return config;
    }

    PersistenceModule persistence() {
        return persistence;
    }

    @Override
    public void close() {
        if (api != null) {
            api.stop();
        }
        useCases.close();
        scheduler.close();
        if (marketplace instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("event=marketplace_close_failed error={}", e.toString());
            }
        }
        persistence.close();
        LOG.info("event=stopped");
    }
}
