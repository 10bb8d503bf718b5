package io.taskmetering.application.service;

import io.taskmetering.application.port.in.ActivateContractUseCase;
import io.taskmetering.application.port.in.ChargeQueries;
import io.taskmetering.application.port.in.ContractQueries;
import io.taskmetering.application.port.in.CreateContractVersionUseCase;
import io.taskmetering.application.port.in.CloseHoursUseCase;
import io.taskmetering.application.port.in.DisputeChargeUseCase;
import io.taskmetering.application.port.in.EvaluateOutcomeUseCase;
import io.taskmetering.application.port.in.PurgeExpiredUseCase;
import io.taskmetering.application.port.in.RecordOutcomeBatchUseCase;
import io.taskmetering.application.port.in.RecordOutcomeUseCase;
import io.taskmetering.application.port.in.ReconcileUseCase;
import io.taskmetering.application.port.in.ReconciliationQueries;
import io.taskmetering.application.port.in.RecordUsageUseCase;
import io.taskmetering.application.port.in.InsightQueries;
import io.taskmetering.application.port.in.ReplayQueries;
import io.taskmetering.application.port.in.IngestTracesUseCase;
import io.taskmetering.application.port.in.SettleTracesUseCase;
import io.taskmetering.application.port.in.ResolveDisputeUseCase;
import io.taskmetering.application.port.in.ReviewChargeUseCase;
import io.taskmetering.application.port.in.ShadowQueries;
import io.taskmetering.application.port.in.StartShadowUseCase;
import io.taskmetering.application.port.in.StopShadowUseCase;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase;
import io.taskmetering.application.port.in.UsageEventQueries;
import io.taskmetering.application.port.in.UsageQueries;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.MarketplaceReconciliationPort;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.application.port.out.OutcomePorts;
import io.taskmetering.application.port.out.StoragePorts;
import io.taskmetering.domain.trace.TraceMapping;
import io.taskmetering.domain.usage.RetentionPolicy;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one wiring of the application: every use case, built from the outgoing ports, each service given only the ports
 * it uses. The service, the HTTP tests and the application tests all build the graph here, so what they exercise is
 * what runs. {@link #close()} stops the group commit of single outcomes.
 */
public final class MeteringUseCases implements AutoCloseable {
    /** The most single outcomes one group commit takes. */
    static final int GROUP_COMMIT_MAX = 200;

    /**
     * How this instance submits and what it keeps.
     *
     * @param claimer        this instance's name in claims on usage events and task candidates (unique per running
     *                       instance)
     * @param claimLease     how long a claim holds before another instance may take the event or candidate
     * @param deadlineMargin how long before the Marketplace's 24-hour window ends to stop trying
     * @param traces         how OpenTelemetry spans map to tasks
     */
    public record Settings(String claimer, Duration claimLease, Duration deadlineMargin, RetentionPolicy retention,
                           TraceMapping traces) {
        public Settings {
            Objects.requireNonNull(claimer, "claimer");
            Objects.requireNonNull(claimLease, "claimLease");
            Objects.requireNonNull(deadlineMargin, "deadlineMargin");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(traces, "traces");
        }
    }

    private final RecordOutcomeBatchService recordOutcomeBatch;
    private final EvaluateOutcomeService evaluateOutcome;
    private final ReviewChargeService reviewCharge;
    private final DisputeChargeService disputeCharge;
    private final ResolveDisputeService resolveDispute;
    private final CloseHoursService closeHours;
    private final SubmitUsageEventsService submitUsageEvents;
    private final PurgeExpiredService purgeExpired;
    private final RecordUsageService recordUsage;
    private final ChargeQueryService charges;
    private final UsageQueryService usage;
    private final UsageEventQueryService usageEvents;
    private final CreateContractVersionService createContractVersion;
    private final ActivateContractService activateContract;
    private final ContractQueryService contracts;
    private final StartShadowService startShadow;
    private final StopShadowService stopShadow;
    private final ShadowQueryService shadows;
    private final ReplayQueryService replays;
    private final InsightQueryService insights;
    private final ReconcileService reconcile;
    private final ReconciliationQueryService reconciliations;
    private final IngestTracesService ingestTraces;
    private final SettleTracesService settleTraces;
    private GroupCommitRecordOutcomeService recordOutcome;
    private boolean closed;

    /**
     * @param reconciliation reads back what the Marketplace recorded; empty in dry-run, where nothing reached one
     */
    public MeteringUseCases(StoragePorts storage, MarketplaceSubmissionPort marketplace,
                            Optional<MarketplaceReconciliationPort> reconciliation, Clock clock, IdGenerator ids,
                            BillingPolicy policy, Settings settings) {
        StoragePorts s = storage;
        OutcomePorts outcome = new OutcomePorts(s.unitOfWork(), s.saveDecisions(), s.loadDecisions(), s.saveCharges(),
                s.ledger(), s.hourBuckets(), s.capCounters(), s.anomalies(), s.usageRecords(), s.loadContracts(),
                s.saveShadows(), s.loadShadows());
        this.recordOutcomeBatch = new RecordOutcomeBatchService(outcome, ids, clock, policy);
        this.evaluateOutcome = new EvaluateOutcomeService(outcome, ids, clock, policy);
        ChargeChanger changer = new ChargeChanger(s.unitOfWork(), s.loadCharges(), s.saveCharges(), s.ledger(),
                s.hourBuckets(), s.capCounters(), s.loadDecisions(), s.loadUsageEvents(), clock, policy);
        this.reviewCharge = new ReviewChargeService(changer);
        this.disputeCharge = new DisputeChargeService(changer);
        this.resolveDispute = new ResolveDisputeService(changer);
        this.closeHours = new CloseHoursService(s.unitOfWork(), s.hourBuckets(), s.saveUsageEvents(), clock, policy);
        this.submitUsageEvents = new SubmitUsageEventsService(s.unitOfWork(), s.claimUsageEvents(),
                s.recordSubmissions(), s.invoiceHour(), s.anomalies(), marketplace, ids, clock, policy,
                settings.claimer(), settings.claimLease(), settings.deadlineMargin());
        this.purgeExpired = new PurgeExpiredService(s.unitOfWork(), s.retentionPurge(), settings.retention(), clock);
        this.recordUsage = new RecordUsageService(s.unitOfWork(), s.usageRecords());
        this.charges = new ChargeQueryService(s.loadDecisions(), s.loadCharges(), s.ledger(), s.anomalies(),
                s.loadUsageEvents(), s.loadContracts(), s.loadTraceSpans(), policy);
        this.usage = new UsageQueryService(s.usageRecords(), settings.retention());
        this.usageEvents = new UsageEventQueryService(s.loadUsageEvents(), s.loadCharges());
        this.createContractVersion = new CreateContractVersionService(s.unitOfWork(), s.saveContractVersions(),
                s.loadContracts(), clock);
        this.activateContract = new ActivateContractService(s.unitOfWork(), s.loadContracts(), s.saveActivations(),
                s.hourBuckets(), clock);
        this.contracts = new ContractQueryService(s.loadContracts(), policy);
        this.startShadow = new StartShadowService(s.loadContracts(), s.saveShadows(), s.loadShadows(), clock);
        this.stopShadow = new StopShadowService(s.saveShadows());
        this.shadows = new ShadowQueryService(s.loadShadows(), s.loadContracts());
        this.replays = new ReplayQueryService(s.loadDecisions(), s.loadContracts(), policy.contract());
        this.insights = new InsightQueryService(s.loadInsights());
        this.reconcile = new ReconcileService(s.unitOfWork(), s.loadUsageEvents(), reconciliation,
                s.saveReconciliations(), s.anomalies(), ids, clock);
        this.reconciliations = new ReconciliationQueryService(s.loadReconciliations());
        this.ingestTraces = new IngestTracesService(s.unitOfWork(), s.saveTraceSpans(), clock, settings.traces());
        this.settleTraces = new SettleTracesService(s.claimTaskCandidates(), s.loadTraceSpans(), outcome, ids, clock,
                policy, settings.traces(), settings.claimer(), settings.claimLease());
    }

    /**
     * Single outcomes, those that arrive together sharing one durable commit. Its committer thread starts on first use,
     * so one-shot commands and tests that never record a single outcome start none.
     */
    public synchronized RecordOutcomeUseCase recordOutcome() {
        if (closed) {
            throw new IllegalStateException("the use cases are closed");
        }
        if (recordOutcome == null) {
            recordOutcome = new GroupCommitRecordOutcomeService(recordOutcomeBatch, GROUP_COMMIT_MAX);
        }
        return recordOutcome;
    }

    public RecordOutcomeBatchUseCase recordOutcomeBatch() {
        return recordOutcomeBatch;
    }

    public EvaluateOutcomeUseCase evaluateOutcome() {
        return evaluateOutcome;
    }

    public ReviewChargeUseCase reviewCharge() {
        return reviewCharge;
    }

    public DisputeChargeUseCase disputeCharge() {
        return disputeCharge;
    }

    public ResolveDisputeUseCase resolveDispute() {
        return resolveDispute;
    }

    public CloseHoursUseCase closeHours() {
        return closeHours;
    }

    public SubmitUsageEventsUseCase submitUsageEvents() {
        return submitUsageEvents;
    }

    public PurgeExpiredUseCase purgeExpired() {
        return purgeExpired;
    }

    public RecordUsageUseCase recordUsage() {
        return recordUsage;
    }

    public ChargeQueries charges() {
        return charges;
    }

    public UsageQueries usage() {
        return usage;
    }

    public UsageEventQueries usageEvents() {
        return usageEvents;
    }

    public CreateContractVersionUseCase createContractVersion() {
        return createContractVersion;
    }

    public ActivateContractUseCase activateContract() {
        return activateContract;
    }

    public ContractQueries contracts() {
        return contracts;
    }

    public StartShadowUseCase startShadow() {
        return startShadow;
    }

    public StopShadowUseCase stopShadow() {
        return stopShadow;
    }

    public ShadowQueries shadows() {
        return shadows;
    }

    public ReplayQueries replays() {
        return replays;
    }

    public InsightQueries insights() {
        return insights;
    }

    public ReconcileUseCase reconcile() {
        return reconcile;
    }

    public ReconciliationQueries reconciliations() {
        return reconciliations;
    }

    public IngestTracesUseCase ingestTraces() {
        return ingestTraces;
    }

    public SettleTracesUseCase settleTraces() {
        return settleTraces;
    }

    /** Waits for the single outcomes already queued to commit; later ones are refused. */
    @Override
    public synchronized void close() {
        closed = true;
        if (recordOutcome != null) {
            recordOutcome.close();
        }
    }
}
