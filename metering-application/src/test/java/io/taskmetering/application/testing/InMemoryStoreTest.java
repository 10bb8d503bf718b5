package io.taskmetering.application.testing;

import io.taskmetering.application.model.ChargeInsert;
import io.taskmetering.application.model.ChargeUpdate;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import static io.taskmetering.domain.testdata.ChargeBuilder.aQualifiedCharge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake honours the port contracts the services rely on; if it did not, the service tests would prove nothing. */
class InMemoryStoreTest {
    private static final Instant NOW = Instant.parse("2025-06-01T15:20:00Z");
    private static final BucketKey H14 = new BucketKey(SubscriptionRef.of("sub-contoso-001"), Dimension.TASK_COMPLETED,
            BillingHour.parse("2025-06-01T14:00:00Z"));
    private static final BucketKey H15 = new BucketKey(H14.subscription(), H14.dimension(), H14.hour().next());
    private final InMemoryStore store = new InMemoryStore();

    @Test
    void aTransactionThatThrowsLeavesNothingBehind() {
        Charge charge = aQualifiedCharge().withCorrelationId("c1").build();

        assertThatThrownBy(() -> store.run(() -> {
            store.insertCharges(List.of(charge));
            store.append(List.of(LedgerEntry.recorded(charge, "system", "x", "v1")));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(store.charges()).isEmpty();
        assertThat(store.ledger()).isEmpty();
        assertThat(store.rollbacks()).isEqualTo(1);
        store.run(() -> store.insertCharges(List.of(charge)));
        assertThat(store.charges()).containsExactly(charge);
        assertThat(store.commits()).isEqualTo(1);
    }

    @Test
    void theFirstChargeOfAKeyWinsAlsoWithinOneList() {
        Charge first = aQualifiedCharge().withCorrelationId("c1").build();
        Charge retry = aQualifiedCharge().withCorrelationId("c2").build();
        Charge other = aQualifiedCharge().withCorrelationId("c3").forTask("task-002").build();

        List<ChargeInsert> results = store.insertCharges(List.of(first, retry, other));

        assertThat(results).containsExactly(ChargeInsert.Inserted.INSTANCE, new ChargeInsert.DuplicateOf(CorrelationId.of("c1")),
                ChargeInsert.Inserted.INSTANCE);
        assertThat(store.insertCharges(List.of(retry))).containsExactly(new ChargeInsert.DuplicateOf(CorrelationId.of("c1")));
    }

    @Test
    void updatesAreOptimistic() {
        Charge charge = aQualifiedCharge().withCorrelationId("c1").build();
        store.insertCharges(List.of(charge));
        Charge invoiced = charge.invoice(NOW).after();

        store.updateCharges(List.of(new ChargeUpdate(invoiced, 0)));

        assertThatThrownBy(() -> store.updateCharges(List.of(new ChargeUpdate(invoiced, 0))))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(store.charge("c1")).isEqualTo(invoiced);
    }

    @Test
    void ledgerIdsAreUnique() {
        Charge charge = aQualifiedCharge().withCorrelationId("c1").build();
        LedgerEntry entry = LedgerEntry.recorded(charge, "system", "x", "v1");
        store.append(List.of(entry));

        assertThatThrownBy(() -> store.append(List.of(entry))).isInstanceOf(ConcurrentUpdateException.class);
        assertThat(store.ledger()).hasSize(1);
    }

    @Test
    void bucketsMustBeLockedBeforeTheyAreWrittenAndAClosedOneNeverChanges() {
        assertThatThrownBy(() -> store.run(() -> store.saveBuckets(List.of(HourBucket.open(H14).add(1)))))
                .hasMessageContaining("not locked");
        store.run(() -> {
            TreeMap<BucketKey, PlanId> keys = new TreeMap<>();
            keys.put(H14, PlanId.of("basic"));
            HourBucket bucket = store.lockBuckets(keys).get(H14).bucket();
            store.saveBuckets(List.of(bucket.add(2).close()));
        });

        assertThatThrownBy(() -> store.run(() -> {
            TreeMap<BucketKey, PlanId> keys = new TreeMap<>();
            keys.put(H14, PlanId.of("other"));
            assertThat(store.lockBuckets(keys).get(H14).planId()).isEqualTo(PlanId.of("basic"));
            store.saveBuckets(List.of(new HourBucket(H14, 3, true)));
        })).hasMessageContaining("closed bucket");
        assertThat(store.bucket(H14)).isEqualTo(new HourBucket(H14, 2, true));
    }

    @Test
    void claimsAreLeases() {
        store.insertUsageEvents(List.of(new UsageEvent(H15, 1, PlanId.of("basic")), new UsageEvent(H14, 2,
                PlanId.of("basic"))), NOW);

        assertThat(store.claimDueUsageEvents(10, NOW, Duration.ofMinutes(5), "a")).extracting(UsageEvent::key)
                .containsExactly(H14, H15);
        assertThat(store.claimDueUsageEvents(10, NOW.plusSeconds(299), Duration.ofMinutes(5), "b")).isEmpty();
        assertThat(store.claimDueUsageEvents(1, NOW.plusSeconds(300), Duration.ofMinutes(5), "b"))
                .extracting(UsageEvent::key).containsExactly(H14);
    }

    @Test
    void aTerminalStatusNeverMovesBackButLateAttemptsAreStillKept() {
        store.insertUsageEvents(List.of(new UsageEvent(H14, 2, PlanId.of("basic"))), NOW);
        store.claimDueUsageEvents(10, NOW, Duration.ofMinutes(5), "a");
        store.recordSubmission(result(SubmissionStatus.ACCEPTED), "a", NOW);

        store.recordSubmission(result(SubmissionStatus.RETRY_LATER), "b", NOW.plusSeconds(1));

        assertThat(store.outboxRow(H14).status()).isEqualTo(UsageEventStatus.ACCEPTED);
        assertThat(store.outboxRow(H14).claimer()).isNull();
        assertThat(store.findAttempts(H14)).hasSize(2);
        assertThat(store.insertUsageEvents(List.of(new UsageEvent(H14, 5, PlanId.of("basic"))), NOW))
                .containsExactly(InsertResult.ALREADY_PRESENT);
    }

    private static SubmissionResult result(SubmissionStatus status) {
        return new SubmissionResult(H14, status, "{}", null, null, null, null, null,
                List.of(new io.taskmetering.application.model.SubmissionAttempt(1, "r", "c", NOW, 200, "x", null)));
    }
}
