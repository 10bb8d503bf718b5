package io.taskmetering.bootstrap;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskmetering.adapter.marketplace.DryRunMarketplaceClient;
import io.taskmetering.adapter.marketplace.MarketplaceConfig;
import io.taskmetering.adapter.marketplace.MarketplaceConfigException;
import io.taskmetering.adapter.marketplace.MarketplaceHttpClient;
import io.taskmetering.adapter.marketplace.SubmissionMode;
import io.taskmetering.adapter.persistence.PersistenceModule;
import io.taskmetering.adapter.rest.ApiKeyConfig;
import io.taskmetering.adapter.rest.RestApi;
import io.taskmetering.adapter.rest.RestConfig;
import io.taskmetering.adapter.rest.Role;
import io.taskmetering.adapter.rest.UseCases;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.application.port.out.OutcomePorts;
import io.taskmetering.application.service.AggregateUsageService;
import io.taskmetering.application.service.BacklogService;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.application.service.CloseHoursService;
import io.taskmetering.application.service.DisputeChargeService;
import io.taskmetering.application.service.EvaluateOutcomeService;
import io.taskmetering.application.service.ExportUsageService;
import io.taskmetering.application.service.GetEvidenceBundleService;
import io.taskmetering.application.service.GetTaskUsageService;
import io.taskmetering.application.service.GroupCommitRecordOutcomeService;
import io.taskmetering.application.service.ListAnomaliesService;
import io.taskmetering.application.service.ListChargesService;
import io.taskmetering.application.service.ListCreditsService;
import io.taskmetering.application.service.ListUsageEventsService;
import io.taskmetering.application.service.ListUsageService;
import io.taskmetering.application.service.PurgeExpiredService;
import io.taskmetering.application.service.RecordOutcomeBatchService;
import io.taskmetering.application.service.RecordUsageBatchService;
import io.taskmetering.application.service.RecordUsageService;
import io.taskmetering.application.service.ResolveDisputeService;
import io.taskmetering.application.service.ReviewChargeService;
import io.taskmetering.application.service.SubmitUsageEventsService;
import io.taskmetering.application.service.SummarizeUsageService;
import io.taskmetering.application.service.UsageStatsService;
import io.taskmetering.domain.billing.HourPolicy;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.usage.RetentionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole service, wired by hand: persistence, the Marketplace client, every use case, the HTTP API and the
 * scheduler. {@link #close()} stops in reverse order: no new requests, in-flight ones finished, the submission run in
 * progress finished, then the database.
 */
final class MeteringService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringService.class);
    private static final int GROUP_COMMIT_MAX = 200;

    private final MeteringConfig config;
    private final PersistenceModule persistence;
    private final UseCases useCases;
    private final BillingScheduler scheduler;
    private final RestApi api;
    private final MarketplaceSubmissionPort marketplace;
    private final GroupCommitRecordOutcomeService recordOutcome;
    private int port = -1;

    private MeteringService(MeteringConfig config, Clock clock, boolean withApi) {
        this.config = config;
        this.persistence = openDatabase(config, clock);
        try {
            BillingPolicy policy = policy(config);
            IdGenerator ids = new TimeOrderedIds(clock);
            RetentionPolicy retention = new RetentionPolicy(config.retention());
            PersistenceModule p = persistence;
            OutcomePorts ports = p.outcomePorts();
            this.marketplace = marketplace(config);
            SubmitUsageEventsService submit = new SubmitUsageEventsService(p.unitOfWork(), p.usageEventOutbox(),
                    p.invoiceHour(), p.anomalies(), marketplace, ids, clock, policy, config.instanceId(),
                    config.claimLease(), config.deadlineMargin());
            CloseHoursService close = new CloseHoursService(p.unitOfWork(), p.hourBuckets(), p.usageEventOutbox(),
                    clock, policy);
            PurgeExpiredService purge = new PurgeExpiredService(p.unitOfWork(), p.retentionPurge(), retention, clock);
            RecordOutcomeBatchService recordBatch = new RecordOutcomeBatchService(ports, ids, clock, policy);
            // Single outcomes that arrive together share one durable commit.
            this.recordOutcome = new GroupCommitRecordOutcomeService(recordBatch, GROUP_COMMIT_MAX);
            this.useCases = new UseCases(
                    recordOutcome,
                    recordBatch,
                    new EvaluateOutcomeService(ports, ids, clock, policy),
                    new GetEvidenceBundleService(p.loadDecisions(), p.loadCharges(), p.ledger(), p.usageEventOutbox(), policy),
                    new ListChargesService(p.loadCharges()),
                    new ReviewChargeService(ports, p.loadCharges(), p.usageEventOutbox(), clock, policy),
                    new DisputeChargeService(ports, p.loadCharges(), p.usageEventOutbox(), clock, policy),
                    new ResolveDisputeService(ports, p.loadCharges(), p.usageEventOutbox(), clock, policy),
                    new ListCreditsService(p.ledger()),
                    new ListAnomaliesService(p.anomalies()),
                    new ListUsageEventsService(p.usageEventOutbox()),
                    close,
                    submit,
                    new RecordUsageService(p.unitOfWork(), p.usageRecords()),
                    new RecordUsageBatchService(p.unitOfWork(), p.usageRecords()),
                    new ListUsageService(p.usageRecords()),
                    new GetTaskUsageService(p.usageRecords()),
                    new AggregateUsageService(p.usageRecords()),
                    new SummarizeUsageService(p.usageRecords()),
                    new ExportUsageService(p.usageRecords()),
                    new UsageStatsService(p.usageRecords(), retention),
                    purge,
                    new BacklogService(p.loadCharges(), p.usageEventOutbox()));
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.api = withApi ? new RestApi(useCases, restConfig(config), registry, persistence::ready) : null;
            this.scheduler = new BillingScheduler(close, submit, purge, config.submitInterval(), clock,
                    run -> {
                        if (api != null) {
                            api.metrics().recordSubmissions(run);
                        }
                    });
        } catch (RuntimeException e) {
            persistence.close();
            throw e;
        }
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
        try {
            return PersistenceModule.start(config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbPoolSize(),
                    clock);
        } catch (RuntimeException e) {
            LOG.debug("event=database_open_failed", e);
            throw new ConfigException("METERING_DB_URL", "cannot open the database " + Main.redactDbUrl(config.dbUrl())
                    + " as user '" + config.dbUser() + "' (see also METERING_DB_USER, METERING_DB_PASSWORD): " + cause(e));
        }
    }

    /** A port that is taken stops start-up with one line naming {@code METERING_HTTP_PORT}. */
    private static int startApi(RestApi api, int port) {
        try {
            return api.start(port);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) {
                    throw new ConfigException("METERING_HTTP_PORT", "cannot listen on port " + port + ": " + t.getMessage());
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

    static BillingPolicy policy(MeteringConfig config) {
        ContractConfig contract = ContractConfig.defaults()
                .withVersion(config.contractVersion())
                .withRequiredOutputKeys(config.contractRequiredOutputKeys())
                .withRequireApproval(config.contractRequireApproval())
                .withRequireIntentResolution(config.contractRequireIntentResolution())
                .withIntentResolutionThreshold(config.contractIntentThreshold());
        return new BillingPolicy(contract, new HourPolicy(config.hourGrace()), config.caps(), config.dedupeScope(),
                new Dimension(config.dimension()), new PlanId(config.planId()), BillingPolicy.DEFAULT_RULE_VERSION,
                config.redactKeys());
    }

    private static MarketplaceSubmissionPort marketplace(MeteringConfig config) {
        if (config.marketplaceMode() == MeteringConfig.MarketplaceMode.DRY_RUN) {
            return new DryRunMarketplaceClient();
        }
        try {
            return MarketplaceHttpClient.create(MarketplaceConfig.builder()
                .baseUrl(config.marketplaceBaseUrl())
                .tokenUrl(config.marketplaceTokenUrl())
                .tenantId(config.marketplaceTenantId())
                .clientId(config.marketplaceClientId())
                .clientSecret(config.marketplaceClientSecret())
                .submissionMode(config.marketplaceBatch() ? SubmissionMode.BATCH : SubmissionMode.SINGLE)
                    .deadlineMargin(config.deadlineMargin())
                    .build());
        } catch (MarketplaceConfigException e) {
            throw new ConfigException(e.key(), e.getMessage().substring(e.key().length() + 2));
        }
    }

    private static RestConfig restConfig(MeteringConfig config) {
        List<ApiKeyConfig> keys = new ArrayList<>();
        int n = 0;
        for (MeteringConfig.ApiKeySetting key : config.apiKeys()) {
            n++;
            keys.add(new ApiKeyConfig(key.role() + "-" + n, key.key(), Role.parse(key.role()), key.subscriptions()));
        }
        return RestConfig.withKeys(keys).withMaxBodyBytes(config.maxBodyBytes());
    }

    int port() {
        return port;
    }

    UseCases useCases() {
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
        recordOutcome.close();
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
