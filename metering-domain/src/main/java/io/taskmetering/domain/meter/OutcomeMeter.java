package io.taskmetering.domain.meter;

import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.billing.HourPolicy;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.charge.ChargeTransition;
import io.taskmetering.domain.charge.ChargingRules;
import io.taskmetering.domain.charge.CountChange;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.charge.Invoicing;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.RecordingOutcome;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Decision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The whole pipeline in memory, for teams that embed only the domain jar: evaluate each outcome against the contract,
 * charge it once per task, hold it at caps, count it in its UTC hour, and close hours into Marketplace usage events.
 * Thread-safe (one lock); state lives as long as the instance. The standalone service does the same durably.
 *
 * <pre>{@code
 * OutcomeMeter meter = OutcomeMeter.builder().planId("basic").build();
 * MeteredOutcome result = meter.record(Outcome.of("task-001", "agent-alpha", "sub-contoso-001", now, evidence));
 * List<UsageEvent> events = meter.closeDueHours(later);
 * }</pre>
 */
public final class OutcomeMeter {
    private static final String ACTOR = "embedded-meter";

    private final AdherenceContract contract;
    private final ChargingRules rules;
    private final ChargingRules.Counts counts = new MeterCounts();
    private final Dimension dimension;
    private final PlanId planId;
    private final Clock clock;
    private final String ruleVersion;

    private final Map<CorrelationId, MeteredOutcome> decisions = new HashMap<>();
    private final Map<ChargeKey, Charge> charges = new LinkedHashMap<>();
    private final Map<BucketKey, HourBucket> buckets = new TreeMap<>();
    private final Map<CapPeriod, Long> capCounts = new HashMap<>();
    private final List<LedgerEntry> ledger = new ArrayList<>();
    private final List<Anomaly> anomalies = new ArrayList<>();
    private final List<UsageEvent> usageEvents = new ArrayList<>();
    private long duplicates;

    private OutcomeMeter(Builder b) {
        this.contract = new AdherenceContract(b.contract);
        this.rules = new ChargingRules(b.hours, b.caps, b.dedupeScope);
        this.dimension = b.dimension;
        this.planId = b.planId;
        this.clock = b.clock;
        this.ruleVersion = b.contract.version();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Evaluates and records one outcome at the meter clock's time. Re-sending a correlation id returns the first answer. */
    public synchronized MeteredOutcome record(Outcome outcome) {
        Instant now = clock.instant();
        CorrelationId correlationId = outcome.correlationId() != null
                ? outcome.correlationId() : new CorrelationId(UUID.randomUUID().toString());
        MeteredOutcome known = decisions.get(correlationId);
        if (known != null) {
            return known;
        }
        HourAttribution attribution = rules.hours().attribute(outcome.occurredAt(), now);
        Decision decision = contract.evaluate(outcome.evidence());
        MeteredOutcome result = new MeteredOutcome(correlationId, outcome.taskId(), decision,
                decision.billable() ? charge(correlationId, outcome, decision, attribution, now)
                        : RecordingOutcome.NotBillable.INSTANCE);
        decisions.put(correlationId, result);
        return result;
    }

    private RecordingOutcome charge(CorrelationId correlationId, Outcome outcome, Decision decision,
                                    HourAttribution wanted, Instant now) {
        Charge claim = rules.claim(correlationId, outcome.subscription(), dimension, outcome.taskId(),
                outcome.agentId(), outcome.occurredAt(), wanted, decision, now);
        Charge holder = charges.get(claim.key());
        RecordingOutcome recorded = rules.decide(claim, holder == null ? correlationId : holder.correlationId(), counts,
                () -> UUID.randomUUID().toString(), now);
        Charge charge;
        if (recorded instanceof RecordingOutcome.Recorded counted) {
            charge = counted.charge();
        } else if (recorded instanceof RecordingOutcome.HeldForReview held) {
            charge = held.charge();
            if (held.anomaly() != null) {
                anomalies.add(held.anomaly());
            }
        } else {
            duplicates++;
            return recorded;
        }
        for (CountChange change : recorded.countChanges()) {
            buckets.put(change.bucket(), bucket(change.bucket()).add(change.delta()));
            capCounts.merge(change.hourPeriod(), (long) change.delta(), Long::sum);
            capCounts.merge(change.dayPeriod(), (long) change.delta(), Long::sum);
        }
        charges.put(claim.key(), charge);
        ledger.add(LedgerEntry.recorded(charge, ACTOR, ruleVersion));
        return recorded;
    }

    private HourBucket bucket(BucketKey key) {
        return buckets.getOrDefault(key, HourBucket.open(key));
    }

    /** The meter's own counters, as the charging rules read them. */
    private final class MeterCounts implements ChargingRules.Counts {
        @Override
        public boolean closed(BucketKey bucket) {
            HourBucket known = buckets.get(bucket);
            return known != null && known.closed();
        }

        @Override
        public long admitted(CapPeriod period) {
            return capCounts.getOrDefault(period, 0L);
        }
    }

    /**
     * Closes every hour that is past {@code end + grace} at {@code asOf} and returns the usage events of those with a
     * quantity (the Marketplace rejects 0). Each hour closes once.
     */
    public synchronized List<UsageEvent> closeDueHours(Instant asOf) {
        BillingHour newestClosed = rules.hours().newestClosedHour(asOf);
        List<UsageEvent> events = new ArrayList<>();
        for (Map.Entry<BucketKey, HourBucket> entry : buckets.entrySet()) {
            HourBucket bucket = entry.getValue();
            if (!bucket.closed() && entry.getKey().hour().compareTo(newestClosed) <= 0) {
                HourBucket closed = bucket.close();
                entry.setValue(closed);
                UsageEvent.forBucket(closed, planId).ifPresent(events::add);
            }
        }
        usageEvents.addAll(events);
        return events;
    }

    /** Closes hours due at the meter clock's time. */
    public List<UsageEvent> closeDueHours() {
        return closeDueHours(clock.instant());
    }

    /** Marks an hour accepted by the Marketplace: its QUALIFIED charges become BILLABLE, each change ledgered as {@link Invoicing} says. */
    public synchronized List<Charge> invoice(BucketKey hour) {
        List<Charge> invoiced = new ArrayList<>();
        Instant now = clock.instant();
        for (Map.Entry<ChargeKey, Charge> entry : charges.entrySet()) {
            Charge charge = entry.getValue();
            if (Invoicing.invoices(hour, charge)) {
                ChargeTransition transition = charge.invoice(now);
                entry.setValue(transition.after());
                ledger.add(Invoicing.entry(transition, ruleVersion));
                invoiced.add(transition.after());
            }
        }
        return invoiced;
    }

    public synchronized List<Charge> charges() {
        return List.copyOf(charges.values());
    }

    public synchronized List<LedgerEntry> ledger() {
        return List.copyOf(ledger);
    }

    public synchronized List<Anomaly> anomalies() {
        return List.copyOf(anomalies);
    }

    /** Every usage event produced so far, in closing order. */
    public synchronized List<UsageEvent> usageEvents() {
        return List.copyOf(usageEvents);
    }

    /** The current quantity of an hour (QUALIFIED charges counted in it). */
    public synchronized long quantity(BucketKey key) {
        HourBucket bucket = buckets.get(key);
        return bucket == null ? 0 : bucket.quantity();
    }

    /** How many re-reports of an already-charged task were suppressed. */
    public synchronized long duplicates() {
        return duplicates;
    }

    public Dimension dimension() {
        return dimension;
    }

    public static final class Builder {
        private ContractConfig contract = ContractConfig.defaults();
        private HourPolicy hours = HourPolicy.defaults();
        private GuardrailCaps caps = GuardrailCaps.unlimited();
        private DedupeScope dedupeScope = DedupeScope.TASK;
        private Dimension dimension = Dimension.TASK_COMPLETED;
        private PlanId planId = new PlanId("default");
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder contract(ContractConfig value) {
            this.contract = Objects.requireNonNull(value, "contract");
            return this;
        }

        public Builder grace(Duration value) {
            this.hours = new HourPolicy(value);
            return this;
        }

        public Builder caps(GuardrailCaps value) {
            this.caps = Objects.requireNonNull(value, "caps");
            return this;
        }

        public Builder dedupeScope(DedupeScope value) {
            this.dedupeScope = Objects.requireNonNull(value, "dedupeScope");
            return this;
        }

        public Builder dimension(String value) {
            this.dimension = new Dimension(value);
            return this;
        }

        public Builder planId(String value) {
            this.planId = new PlanId(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public OutcomeMeter build() {
            return new OutcomeMeter(this);
        }
    }
}
