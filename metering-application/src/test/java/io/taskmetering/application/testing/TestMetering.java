package io.taskmetering.application.testing;

import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.CloseHoursResult;
import io.taskmetering.application.port.in.DisputeChargeCommand;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.ResolveDisputeCommand;
import io.taskmetering.application.port.in.ReviewChargeCommand;
import io.taskmetering.application.port.in.SubmissionRunResult;
import io.taskmetering.application.port.in.SubmitUsageEventsCommand;
import io.taskmetering.application.port.out.OutcomePorts;
import io.taskmetering.application.service.AggregateUsageService;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.application.service.CloseHoursService;
import io.taskmetering.application.service.DisputeChargeService;
import io.taskmetering.application.service.EvaluateOutcomeService;
import io.taskmetering.application.service.ExportUsageService;
import io.taskmetering.application.service.GetEvidenceBundleService;
import io.taskmetering.application.service.GetTaskUsageService;
import io.taskmetering.application.service.ListAnomaliesService;
import io.taskmetering.application.service.ListChargesService;
import io.taskmetering.application.service.ListCreditsService;
import io.taskmetering.application.service.ListUsageEventsService;
import io.taskmetering.application.service.ListUsageService;
import io.taskmetering.application.service.PurgeExpiredService;
import io.taskmetering.application.service.RecordOutcomeBatchService;
import io.taskmetering.application.service.RecordOutcomeService;
import io.taskmetering.application.service.RecordUsageBatchService;
import io.taskmetering.application.service.RecordUsageService;
import io.taskmetering.application.service.ResolveDisputeService;
import io.taskmetering.application.service.ReviewChargeService;
import io.taskmetering.application.service.SubmitUsageEventsService;
import io.taskmetering.application.service.SummarizeUsageService;
import io.taskmetering.application.service.UsageStatsService;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.testdata.MutableClock;
import io.taskmetering.domain.usage.RetentionPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The application wired by hand against {@link InMemoryStore}, a {@link MutableClock} (starting at 2025-06-01T14:30Z),
 * {@link SequentialIds} and a {@link ScriptedMarketplace}: every service of {@code application.service}, built with the
 * current {@link BillingPolicy} (default plan {@code basic}). Shared through the application test-jar.
 */
public final class TestMetering {
    public static final Instant START = Instant.parse("2025-06-01T14:30:00Z");
    public static final String CLAIMER = "instance-1";
    public static final Duration LEASE = Duration.ofMinutes(5);
    public static final Duration DEADLINE_MARGIN = Duration.ofMinutes(30);

    public final InMemoryStore store = new InMemoryStore();
    public final MutableClock clock = new MutableClock(START);
    public final SequentialIds ids = new SequentialIds();
    public final ScriptedMarketplace marketplace = new ScriptedMarketplace(clock, store::inTransaction);
    private BillingPolicy policy = BillingPolicy.defaults(PlanId.of("basic"));
    private RetentionPolicy retention = RetentionPolicy.days(30);

    public BillingPolicy policy() {
        return policy;
    }

    /** Changes the billing rules for services built from now on. */
    public TestMetering withPolicy(UnaryOperator<BillingPolicy> change) {
        this.policy = change.apply(policy);
        return this;
    }

    public TestMetering withRetention(RetentionPolicy value) {
        this.retention = value;
        return this;
    }

    public OutcomePorts ports() {
        return new OutcomePorts(store, store, store, store, store, store, store, store, store);
    }

    // ------------------------------------------------------------ services

    public RecordOutcomeService recordService() {
        return new RecordOutcomeService(ports(), ids, clock, policy);
    }

    public RecordOutcomeBatchService batchService() {
        return new RecordOutcomeBatchService(ports(), ids, clock, policy);
    }

    public EvaluateOutcomeService evaluateService() {
        return new EvaluateOutcomeService(ports(), ids, clock, policy);
    }

    public ReviewChargeService reviewService() {
        return new ReviewChargeService(ports(), store, store, clock, policy);
    }

    public DisputeChargeService disputeService() {
        return new DisputeChargeService(ports(), store, store, clock, policy);
    }

    public ResolveDisputeService resolveService() {
        return new ResolveDisputeService(ports(), store, store, clock, policy);
    }

    public CloseHoursService closeService() {
        return new CloseHoursService(store, store, store, clock, policy);
    }

    public SubmitUsageEventsService submitService() {
        return submitService(CLAIMER);
    }

    public SubmitUsageEventsService submitService(String claimer) {
        return new SubmitUsageEventsService(store, store, store, store, marketplace, ids, clock, policy, claimer, LEASE,
                DEADLINE_MARGIN);
    }

    public GetEvidenceBundleService evidenceService() {
        return new GetEvidenceBundleService(store, store, store, store, policy);
    }

    public PurgeExpiredService purgeService() {
        return new PurgeExpiredService(store, store, retention, clock);
    }

    public ListChargesService listChargesService() {
        return new ListChargesService(store);
    }

    public ListAnomaliesService listAnomaliesService() {
        return new ListAnomaliesService(store);
    }

    public ListUsageEventsService listUsageEventsService() {
        return new ListUsageEventsService(store);
    }

    public ListCreditsService listCreditsService() {
        return new ListCreditsService(store);
    }

    public RecordUsageService recordUsageService() {
        return new RecordUsageService(store, store);
    }

    public RecordUsageBatchService recordUsageBatchService() {
        return new RecordUsageBatchService(store, store);
    }

    public ListUsageService listUsageService() {
        return new ListUsageService(store);
    }

    public AggregateUsageService aggregateUsageService() {
        return new AggregateUsageService(store);
    }

    public SummarizeUsageService summarizeUsageService() {
        return new SummarizeUsageService(store);
    }

    public ExportUsageService exportUsageService() {
        return new ExportUsageService(store);
    }

    public GetTaskUsageService taskUsageService() {
        return new GetTaskUsageService(store);
    }

    public UsageStatsService usageStatsService() {
        return new UsageStatsService(store, retention);
    }

    // ------------------------------------------------------------ shorthands

    /** Records an outcome that is expected to be decided (fails the test otherwise). */
    public OutcomeResult.Decided record(OutcomeReportBuilder report) {
        OutcomeResult result = recordAny(report);
        if (result instanceof OutcomeResult.Decided decided) {
            return decided;
        }
        throw new AssertionError("expected a decided outcome, got " + result);
    }

    public OutcomeResult recordAny(OutcomeReportBuilder report) {
        return recordService().record(new RecordOutcomeCommand(report.build()));
    }

    public List<OutcomeResult> recordBatch(OutcomeReportBuilder... reports) {
        return batchService().recordBatch(new RecordOutcomeBatchCommand(
                java.util.Arrays.stream(reports).map(r -> new RecordOutcomeCommand(r.build())).toList()));
    }

    public Charge approve(String correlationId) {
        return reviewService().review(new ReviewChargeCommand(CorrelationId.of(correlationId),
                ReviewChargeCommand.Verdict.APPROVE, "reviewer@contoso", "looks right"));
    }

    public Charge reject(String correlationId) {
        return reviewService().review(new ReviewChargeCommand(CorrelationId.of(correlationId),
                ReviewChargeCommand.Verdict.REJECT, "reviewer@contoso", "not ours"));
    }

    public Charge dispute(String correlationId) {
        return disputeService().dispute(new DisputeChargeCommand(CorrelationId.of(correlationId), "customer@contoso",
                "the summary was wrong"));
    }

    public Charge uphold(String correlationId) {
        return resolveService().resolve(new ResolveDisputeCommand(CorrelationId.of(correlationId),
                ResolveDisputeCommand.Resolution.UPHOLD, "billing@publisher", "delivered as agreed"));
    }

    public Charge reverse(String correlationId) {
        return resolveService().resolve(new ResolveDisputeCommand(CorrelationId.of(correlationId),
                ResolveDisputeCommand.Resolution.REVERSE, "billing@publisher", "refund"));
    }

    public io.taskmetering.application.model.Page<io.taskmetering.domain.charge.LedgerEntry> listCredits() {
        return listCreditsService().listCredits(new io.taskmetering.application.port.in.CreditsQuery(null, 100, null));
    }

    public CloseHoursResult closeHours() {
        return closeService().closeDueHours(CloseHoursCommand.defaults());
    }

    public SubmissionRunResult submit() {
        return submitService().submitDue(SubmitUsageEventsCommand.defaults());
    }

    public TestMetering at(String iso) {
        clock.setTo(iso);
        return this;
    }
}
