package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.CapType;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.billing.HourPolicy;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taskmetering.domain.testdata.ChargeBuilder.aHeldCharge;
import static io.taskmetering.domain.testdata.ChargeBuilder.aQualifiedCharge;
import static org.assertj.core.api.Assertions.assertThat;

/** The charging decision itself, against counters a test sets up (the meter and the service pass their own). */
class ChargingRulesTest {
    private static final SubscriptionRef CONTOSO = SubscriptionRef.of("sub-contoso-001");
    private static final BillingHour H14 = BillingHour.parse("2025-06-01T14:00:00Z");
    private static final BucketKey CONTOSO_H14 = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, H14);
    private static final BucketKey CONTOSO_H15 = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, H14.next());
    private static final Instant NOW = Instant.parse("2025-06-01T14:30:00Z");

    private final Set<BucketKey> closed = new HashSet<>();
    private final Map<CapPeriod, Long> admitted = new HashMap<>();
    private final ChargingRules.Counts counts = new ChargingRules.Counts() {
        @Override
        public boolean closed(BucketKey bucket) {
            return closed.contains(bucket);
        }

        @Override
        public long admitted(CapPeriod period) {
            return admitted.getOrDefault(period, 0L);
        }
    };

    private static ChargingRules rules(GuardrailCaps caps) {
        return new ChargingRules(HourPolicy.defaults(), caps, DedupeScope.TASK);
    }

    @Test
    void aClaimThatWonItsKeyIsChargedInItsHourAndCountedThere() {
        Charge claim = aQualifiedCharge().updatedAt(NOW).build();

        RecordingOutcome outcome = rules(GuardrailCaps.unlimited()).decide(claim, claim.correlationId(), counts,
                () -> "never", NOW);

        assertThat(outcome).isEqualTo(new RecordingOutcome.Recorded(claim));
        assertThat(outcome.countChanges()).containsExactly(new CountChange(CONTOSO_H14, 1));
    }

    @Test
    void aKeyHeldByAnotherDecisionIsADuplicateAndCountsNothing() {
        Charge claim = aQualifiedCharge().withCorrelationId("c2").build();

        RecordingOutcome outcome = rules(GuardrailCaps.of(1, 1)).decide(claim, CorrelationId.of("c1"), counts,
                () -> "never", NOW);

        assertThat(outcome).isEqualTo(new RecordingOutcome.Duplicate(claim.key(), CorrelationId.of("c1")));
        assertThat(outcome.countChanges()).isEmpty();
    }

    @Test
    void anAmbiguousClaimIsHeldWithoutAnAnomaly() {
        Charge claim = aHeldCharge().build();

        RecordingOutcome outcome = rules(GuardrailCaps.unlimited()).decide(claim, claim.correlationId(), counts,
                () -> "never", NOW);

        assertThat(outcome).isEqualTo(new RecordingOutcome.HeldForReview(claim, null));
        assertThat(outcome.countChanges()).isEmpty();
    }

    @Test
    void aClaimOverACapIsHeldInThePlacedHourWithItsAnomaly() {
        admitted.put(CapPeriod.hourOf(CONTOSO, H14), 2L);
        Charge claim = aQualifiedCharge().build();

        RecordingOutcome outcome = rules(GuardrailCaps.of(2, 0)).decide(claim, claim.correlationId(), counts,
                () -> "anomaly-1", NOW);

        assertThat(outcome).isInstanceOfSatisfying(RecordingOutcome.HeldForReview.class, held -> {
            assertThat(held.charge().state()).isEqualTo(ChargeState.PENDING_REVIEW);
            assertThat(held.charge().holdReasons()).containsExactly("cap_exceeded:hourly=2");
            Anomaly anomaly = held.anomaly();
            assertThat(anomaly.id()).isEqualTo("anomaly-1");
            assertThat(anomaly.capType()).isEqualTo(CapType.HOURLY);
            assertThat(anomaly.actualValue()).isEqualTo(3L);
            assertThat(anomaly.hour()).isEqualTo(H14);
        });
        assertThat(outcome.countChanges()).isEmpty();
    }

    @Test
    void aClaimForAnHourTheStoreClosedMovesToTheNextHourLateAndIsCappedThere() {
        closed.add(CONTOSO_H14);
        admitted.put(CapPeriod.hourOf(CONTOSO, H14), 5L); // the closed hour's count no longer matters
        Charge claim = aQualifiedCharge().build();

        RecordingOutcome outcome = rules(GuardrailCaps.of(5, 0)).decide(claim, claim.correlationId(), counts,
                () -> "never", NOW);

        Charge expected = Charge.qualified(claim.correlationId(), claim.key(), claim.agentId(), claim.occurredAt(),
                new HourAttribution(H14.next(), true), NOW);
        assertThat(outcome).isEqualTo(new RecordingOutcome.Recorded(expected));
        assertThat(outcome.countChanges()).containsExactly(new CountChange(CONTOSO_H15, 1));
    }

    @Test
    void transitionsCarryTheirCountChanges() {
        Charge qualified = aQualifiedCharge().build();
        assertThat(qualified.dispute(false, NOW).countChanges()).containsExactly(new CountChange(CONTOSO_H14, -1));
        assertThat(qualified.dispute(true, NOW).countChanges()).isEmpty();
        assertThat(aHeldCharge().build().approve(new HourAttribution(H14.next(), true), NOW).countChanges())
                .containsExactly(new CountChange(CONTOSO_H15, 1));
        assertThat(qualified.invoice(NOW).countChanges()).isEmpty();
    }

    @Test
    void invoicingIsLedgeredWithOneActorAndReason() {
        ChargeTransition invoiced = aQualifiedCharge().atVersion(1).build().invoice(NOW);

        LedgerEntry entry = Invoicing.entry(invoiced, "rules-v1");

        assertThat(entry.entryId()).isEqualTo("corr-task-001#2");
        assertThat(entry.linkedEntryId()).isEqualTo("corr-task-001#0");
        assertThat(entry.actor()).isEqualTo(Invoicing.ACTOR);
        assertThat(entry.reason()).isEqualTo("hour accepted by the Marketplace");
        assertThat(Invoicing.invoices(CONTOSO_H14, aQualifiedCharge().build())).isTrue();
        assertThat(Invoicing.invoices(CONTOSO_H15, aQualifiedCharge().build())).isFalse();
        assertThat(Invoicing.invoices(CONTOSO_H14, aHeldCharge().build())).isFalse();
        assertThat(List.of(invoiced.after().state())).containsExactly(ChargeState.BILLABLE);
    }
}
