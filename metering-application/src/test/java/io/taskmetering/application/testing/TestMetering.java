package io.taskmetering.application.testing;

import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.CloseHoursUseCase.CloseHoursResult;
import io.taskmetering.application.port.in.DisputeChargeCommand;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.ResolveDisputeCommand;
import io.taskmetering.application.port.in.ReviewChargeCommand;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import io.taskmetering.application.port.in.SubmitUsageEventsCommand;
import io.taskmetering.application.port.out.StoragePorts;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.application.service.MeteringUseCases;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.testdata.MutableClock;
import io.taskmetering.domain.usage.RetentionPolicy;
import io.taskmetering.domain.trace.TraceMapping;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The application from its one wiring ({@link MeteringUseCases}) on {@link InMemoryStore}, a {@link MutableClock}
 * (starting at 2025-06-01T14:30Z), {@link SequentialIds} and a {@link ScriptedMarketplace}, with the current
 * {@link BillingPolicy} (default plan {@code basic}). Single outcomes go through the group commit, as in the service.
 * Shared through the application test-jar.
 */
public final class TestMetering {
    public static final Instant START = Instant.parse("2025-06-01T14:30:00Z");
    public static final String CLAIMER = "instance-1";
    public static final Duration LEASE = Duration.ofMinutes(5);
    public static final Duration DEADLINE_MARGIN = Duration.ofMinutes(30);

    public final InMemoryStore store = new InMemoryStore();
    public final MutableClock clock = new MutableClock(START);
    public final SequentialIds ids = new SequentialIds();
    private boolean reconcileWithMarketplace = true;
    public final ScriptedMarketplace marketplace = new ScriptedMarketplace(clock, store::inTransaction);
    private BillingPolicy policy = BillingPolicy.defaults(PlanId.of("basic"));
    private RetentionPolicy retention = RetentionPolicy.days(30);
    private MeteringUseCases useCases;

    public BillingPolicy policy() {
        return policy;
    }

    /** Changes the billing rules of the use cases from now on. */
    public TestMetering withPolicy(UnaryOperator<BillingPolicy> change) {
        this.policy = change.apply(policy);
        rewire();
        return this;
    }

    /** Wires no Marketplace to reconcile with, as in dry-run. */
    public TestMetering withoutMarketplaceToReconcile() {
        this.reconcileWithMarketplace = false;
        rewire();
        return this;
    }

    public TestMetering withRetention(RetentionPolicy value) {
        this.retention = value;
        rewire();
        return this;
    }

    /** The in-memory store as every storage port. */
    public StoragePorts ports() {
        return new StoragePorts(store, store, store, store, store, store, store, store, store, store, store, store, store,
                store, store, store, store, store, store, store, store, store, store, store, store, store, store);
    }

    /** Every use case from the application's one wiring, with the current policy and retention. */
    public MeteringUseCases useCases() {
        if (useCases == null) {
            useCases = wire(CLAIMER);
        }
        return useCases;
    }

    /** The use cases of another service instance on the same store, claiming usage events as {@code claimer}. */
    public MeteringUseCases wire(String claimer) {
        return new MeteringUseCases(ports(), marketplace,
                reconcileWithMarketplace ? Optional.of(marketplace) : Optional.empty(), clock, ids, policy,
                new MeteringUseCases.Settings(claimer, LEASE, DEADLINE_MARGIN, retention,
                        TraceMapping.defaults()));
    }

    private void rewire() {
        if (useCases != null) {
            useCases.close();
            useCases = null;
        }
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
        return useCases().recordOutcome().record(new RecordOutcomeCommand(report.build()));
    }

    public List<OutcomeResult> recordBatch(OutcomeReportBuilder... reports) {
        return useCases().recordOutcomeBatch().recordBatch(new RecordOutcomeBatchCommand(
                java.util.Arrays.stream(reports).map(r -> new RecordOutcomeCommand(r.build())).toList()));
    }

    public Charge approve(String correlationId) {
        return useCases().reviewCharge().review(new ReviewChargeCommand(CorrelationId.of(correlationId),
                ReviewChargeCommand.Verdict.APPROVE, "reviewer@contoso", "looks right"));
    }

    public Charge reject(String correlationId) {
        return useCases().reviewCharge().review(new ReviewChargeCommand(CorrelationId.of(correlationId),
                ReviewChargeCommand.Verdict.REJECT, "reviewer@contoso", "not ours"));
    }

    public Charge dispute(String correlationId) {
        return useCases().disputeCharge().dispute(new DisputeChargeCommand(CorrelationId.of(correlationId), "customer@contoso",
                "the summary was wrong"));
    }

    public Charge uphold(String correlationId) {
        return useCases().resolveDispute().resolve(new ResolveDisputeCommand(CorrelationId.of(correlationId),
                ResolveDisputeCommand.Resolution.UPHOLD, "billing@publisher", "delivered as agreed"));
    }

    public Charge reverse(String correlationId) {
        return useCases().resolveDispute().resolve(new ResolveDisputeCommand(CorrelationId.of(correlationId),
                ResolveDisputeCommand.Resolution.REVERSE, "billing@publisher", "refund"));
    }

    public io.taskmetering.application.model.Page<io.taskmetering.domain.charge.LedgerEntry> listCredits() {
        return useCases().charges().listCredits(new io.taskmetering.application.port.in.ChargeQueries.CreditsQuery(null, 100, null));
    }

    public CloseHoursResult closeHours() {
        return useCases().closeHours().closeDueHours(CloseHoursCommand.defaults());
    }

    public SubmissionRunResult submit() {
        return useCases().submitUsageEvents().submitDue(SubmitUsageEventsCommand.defaults());
    }

    public TestMetering at(String iso) {
        clock.setTo(iso);
        return this;
    }
}
