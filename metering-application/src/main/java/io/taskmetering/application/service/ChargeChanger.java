package io.taskmetering.application.service;

import io.taskmetering.application.model.ChargeUpdate;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.NotFoundException;
import io.taskmetering.application.port.out.CapCounterPort;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.application.port.out.LedgerPort;
import io.taskmetering.application.port.out.LoadChargesPort;
import io.taskmetering.application.port.out.LoadDecisionsPort;
import io.taskmetering.application.port.out.LoadUsageEventsPort;
import io.taskmetering.application.port.out.SaveChargesPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeTransition;
import io.taskmetering.domain.charge.ChargingRules;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.PlanId;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies one person's change to one charge in one transaction: load, transition by the domain's rules, apply the
 * transition's count changes to its hour, write the new state at the expected version, append the ledger entry. Shared by review, dispute and resolve.
 */
final class ChargeChanger {
    /** The change itself, given the loaded charge and the hour counters of this transaction (read-only). */
    interface Change {
        ChargeTransition apply(Charge charge, ChargingRules.Counts counts, Instant now);
    }

    private final UnitOfWork unitOfWork;
    private final LoadChargesPort loadCharges;
    private final SaveChargesPort saveCharges;
    private final LedgerPort ledger;
    private final HourBucketPort buckets;
    private final CapCounterPort capCounters;
    private final LoadDecisionsPort loadDecisions;
    private final LoadUsageEventsPort outbox;
    private final Clock clock;
    private final BillingPolicy policy;
    private final ChargingRules charging;

    ChargeChanger(UnitOfWork unitOfWork, LoadChargesPort loadCharges, SaveChargesPort saveCharges, LedgerPort ledger,
                  HourBucketPort buckets, CapCounterPort capCounters, LoadDecisionsPort loadDecisions,
                  LoadUsageEventsPort outbox, Clock clock, BillingPolicy policy) {
        this.unitOfWork = unitOfWork;
        this.loadCharges = loadCharges;
        this.saveCharges = saveCharges;
        this.ledger = ledger;
        this.buckets = buckets;
        this.capCounters = capCounters;
        this.loadDecisions = loadDecisions;
        this.outbox = outbox;
        this.clock = clock;
        this.policy = policy;
        this.charging = policy.charging();
    }

    Charge change(CorrelationId correlationId, String actor, String note, Change change) {
        return unitOfWork.inTransaction(() -> {
            Instant now = clock.instant();
            Charge charge = loadCharges.findCharge(correlationId)
                    .orElseThrow(() -> new NotFoundException("no charge with correlation_id " + correlationId));
            HourAdmission admission = new HourAdmission(buckets, capCounters);
            // read the plan from the decision at most once, and only if a bucket must be created
            PlanId[] known = {null};
            Supplier<PlanId> plan = () -> known[0] != null ? known[0] : (known[0] = planOf(charge));
            ChargeTransition transition = change.apply(charge, admission.counts(plan), now);
            admission.apply(transition.countChanges(), plan);
            admission.flush();
            saveCharges.updateCharges(List.of(new ChargeUpdate(transition.after(), charge.version())));
            ledger.append(List.of(LedgerEntry.of(transition, actor, note, policy.ruleVersion())));
            return transition.after();
        });
    }

    /**
     * Whether the usage event of the charge's hour has been accepted (or dry-run recorded). The event stays locked
     * until this change commits, so an acceptance cannot invoice the hour between this answer and the change.
     */
    boolean hourInvoiced(Charge charge) {
        return outbox.lockUsageEvent(charge.bucket()).map(e -> e.status().invoiced()).orElse(false);
    }

    /**
     * The hour a charge counted again is placed in (an approval, an upheld dispute of a released charge): its own while
     * open, else the oldest open one, marked late.
     */
    HourAttribution place(Charge charge, ChargingRules.Counts counts, Instant now) {
        return charging.place(charge.key().subscription(), charge.key().dimension(),
                new HourAttribution(charge.billingHour(), charge.late()), counts, now);
    }

    /**
     * The plan the charge's outcome was reported under, for a bucket its change may create (an approval or an upheld
     * dispute landing in an hour that has no bucket yet); the default plan when the decision is gone.
     */
    private PlanId planOf(Charge charge) {
        return loadDecisions.findDecision(charge.correlationId()).map(StoredDecision::planId)
                .orElse(policy.defaultPlan());
    }
}
