package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.PLAN;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.bucket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The usage-event outbox: SaveUsageEventsPort, ClaimUsageEventsPort, RecordSubmissionsPort, LoadUsageEventsPort. */
abstract class OutboxContract extends StoreContract {
    static final Instant NOW = T0.plusSeconds(2 * 3600);
    static final Duration LEASE = Duration.ofMinutes(5);

    static UsageEvent event(SubscriptionRef sub, BillingHour hour, long quantity) {
        return new UsageEvent(bucket(sub, hour), quantity, PLAN);
    }

    private static SubmissionResult result(BucketKey key, SubmissionStatus status, int attempts) {
        List<SubmissionAttempt> list = new ArrayList<>();
        for (int i = 1; i <= attempts; i++) {
            list.add(new SubmissionAttempt(i, "req-" + i, "corr-" + key.hour(), NOW.plusSeconds(i),
                    status == SubmissionStatus.RETRY_LATER ? 503 : 200,
                    status == SubmissionStatus.RETRY_LATER ? "http_503" : "accepted", null));
        }
        boolean ok = status.eventStatus().invoiced();
        return new SubmissionResult(key, status, "{\"quantity\":1}", ok ? "usage-1" : null, ok ? NOW : null,
                null, ok ? null : "http_503", ok ? null : "unavailable", list);
    }

    @Test
    void writesOneEventPerKeyAsPending() {
        var results = ports.saveUsageEvents().insertUsageEvents(List.of(event(SUB, HOUR, 3), event(SUB2, HOUR, 4),
                event(SUB, HOUR, 99)), NOW);
        assertThat(results).containsExactly(InsertResult.INSERTED, InsertResult.INSERTED, InsertResult.ALREADY_PRESENT);
        UsageEventRecord record = ports.loadUsageEvents().findUsageEvent(bucket(SUB, HOUR)).orElseThrow();
        assertThat(record.event()).isEqualTo(event(SUB, HOUR, 3));
        assertThat(record.status()).isEqualTo(UsageEventStatus.PENDING);
        assertThat(record.attempts()).isZero();
        assertThat(record.createdAt()).isEqualTo(NOW);
        assertThat(ports.loadUsageEvents().findUsageEvent(bucket(SUB, HOUR.next()))).isEmpty();
    }

    @Test
    void claimsAreLeasesOldestHourFirst() {
        ports.saveUsageEvents().insertUsageEvents(List.of(event(SUB, HOUR.next(), 1), event(SUB, HOUR, 1),
                event(SUB2, HOUR, 1)), NOW);
        var first = ports.claimUsageEvents().claimDueUsageEvents(2, NOW, LEASE, "node-a");
        assertThat(first).extracting(UsageEvent::key).containsExactly(bucket(SUB, HOUR), bucket(SUB2, HOUR));
        // leased: another claimer only gets what is left
        assertThat(ports.claimUsageEvents().claimDueUsageEvents(10, NOW.plusSeconds(1), LEASE, "node-b"))
                .extracting(UsageEvent::key).containsExactly(bucket(SUB, HOUR.next()));
        assertThat(ports.claimUsageEvents().claimDueUsageEvents(10, NOW.plusSeconds(2), LEASE, "node-b")).isEmpty();
        // node-b is told which hours node-a holds, and until when; node-a is not told about its own
        assertThat(ports.claimUsageEvents().leasedElsewhere(10, NOW.plusSeconds(2), "node-b"))
                .extracting(l -> l.key(), l -> l.claimedBy(), l -> l.leaseUntil())
                .containsExactly(tuple(bucket(SUB, HOUR), "node-a", NOW.plus(LEASE)),
                        tuple(bucket(SUB2, HOUR), "node-a", NOW.plus(LEASE)));
        assertThat(ports.claimUsageEvents().leasedElsewhere(1, NOW.plusSeconds(2), "node-b")).hasSize(1);
        assertThat(ports.claimUsageEvents().leasedElsewhere(10, NOW.plusSeconds(2), "node-a"))
                .extracting(l -> l.key(), l -> l.claimedBy())
                .containsExactly(tuple(bucket(SUB, HOUR.next()), "node-b"));
        assertThat(ports.claimUsageEvents().leasedElsewhere(10, NOW.plus(LEASE), "node-c"))
                .as("an expired lease is no longer in flight").extracting(l -> l.key())
                .containsExactly(bucket(SUB, HOUR.next()));
        // node-a crashed: once its lease expires the events are claimable again
        assertThat(ports.claimUsageEvents().claimDueUsageEvents(10, NOW.plus(LEASE), LEASE, "node-b")).hasSize(2);
    }

    @Test
    void recordsEveryAttemptReleasesTheClaimAndNeverMovesATerminalStatusBack() {
        BucketKey key = bucket(SUB, HOUR);
        ports.saveUsageEvents().insertUsageEvents(List.of(event(SUB, HOUR, 5)), NOW);
        ports.claimUsageEvents().claimDueUsageEvents(10, NOW, LEASE, "node-a");

        ports.recordSubmissions().recordSubmission(result(key, SubmissionStatus.RETRY_LATER, 3), "node-a", NOW.plusSeconds(10));
        UsageEventRecord pending = ports.loadUsageEvents().findUsageEvent(key).orElseThrow();
        assertThat(pending.status()).isEqualTo(UsageEventStatus.PENDING);
        assertThat(pending.attempts()).isEqualTo(3);
        assertThat(pending.lastError()).isEqualTo("http_503: unavailable");
        // released: claimable again at once, by anyone
        assertThat(ports.claimUsageEvents().claimDueUsageEvents(10, NOW.plusSeconds(11), LEASE, "node-b")).hasSize(1);

        ports.recordSubmissions().recordSubmission(result(key, SubmissionStatus.ACCEPTED, 1), "node-b", NOW.plusSeconds(20));
        UsageEventRecord accepted = ports.loadUsageEvents().findUsageEvent(key).orElseThrow();
        assertThat(accepted.status()).isEqualTo(UsageEventStatus.ACCEPTED);
        assertThat(accepted.usageEventId()).isEqualTo("usage-1");
        assertThat(accepted.messageTime()).isEqualTo(NOW);
        assertThat(accepted.attempts()).isEqualTo(4);
        assertThat(accepted.lastError()).isNull();
        assertThat(accepted.requestBody()).isEqualTo("{\"quantity\":1}");

        // a late answer from node-a (its lease long gone) is stored but does not reopen the hour
        ports.recordSubmissions().recordSubmission(result(key, SubmissionStatus.RETRY_LATER, 2), "node-a", NOW.plusSeconds(30));
        UsageEventRecord after = ports.loadUsageEvents().findUsageEvent(key).orElseThrow();
        assertThat(after.status()).isEqualTo(UsageEventStatus.ACCEPTED);
        assertThat(after.attempts()).isEqualTo(6);
        assertThat(ports.loadUsageEvents().findAttempts(key)).hasSize(6)
                .extracting(SubmissionAttempt::number).containsExactly(1, 2, 3, 1, 1, 2);
        assertThat(ports.claimUsageEvents().claimDueUsageEvents(10, NOW.plusSeconds(3600), LEASE, "node-c")).isEmpty();
    }

    @Test
    void lockingTheEventWaitsForAnAcceptanceInFlightAndThenSeesIt() throws Exception {
        BucketKey key = bucket(SUB, HOUR);
        ports.saveUsageEvents().insertUsageEvents(List.of(event(SUB, HOUR, 5)), NOW);
        ports.claimUsageEvents().claimDueUsageEvents(10, NOW, LEASE, "node-a");
        java.util.concurrent.CountDownLatch recorded = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // the acceptance has updated the event and not committed yet (it invoices the hour's charges next)
            Future<?> acceptance = pool.submit(() -> ports.unitOfWork().inTransaction(() -> {
                ports.recordSubmissions().recordSubmission(result(key, SubmissionStatus.ACCEPTED, 1), "node-a",
                        NOW.plusSeconds(10));
                recorded.countDown();
                try {
                    commit.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(recorded.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            Future<UsageEventStatus> change = pool.submit(() -> ports.unitOfWork().inTransaction(() ->
                    ports.loadUsageEvents().lockUsageEvent(key).orElseThrow().status()));
            Thread.sleep(300);
            assertThat(change.isDone()).as("a change that depends on the hour's status waits for the acceptance").isFalse();

            commit.countDown();
            acceptance.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(change.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(UsageEventStatus.ACCEPTED);
        } finally {
            commit.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void countsEventsByStatus() {
        ports.saveUsageEvents().insertUsageEvents(List.of(event(SUB, HOUR, 5), event(SUB2, HOUR, 2),
                event(SUB, HOUR.next(), 1)), NOW);
        ports.recordSubmissions().recordSubmission(result(bucket(SUB, HOUR), SubmissionStatus.ACCEPTED, 1), "node-a",
                NOW.plusSeconds(10));

        assertThat(ports.loadUsageEvents().countUsageEvents(UsageEventStatus.PENDING)).isEqualTo(2);
        assertThat(ports.loadUsageEvents().countUsageEvents(UsageEventStatus.ACCEPTED)).isEqualTo(1);
        assertThat(ports.loadUsageEvents().countUsageEvents(UsageEventStatus.REJECTED)).isZero();
    }

    @Test
    void listsEventsByStatusAndHourWithACursor() {
        List<UsageEvent> events = new ArrayList<>();
        BillingHour h = HOUR;
        for (int i = 0; i < 5; i++) {
            events.add(event(SUB, h, i + 1));
            events.add(event(SUB2, h, i + 1));
            h = h.next();
        }
        ports.saveUsageEvents().insertUsageEvents(events, NOW);
        ports.recordSubmissions().recordSubmission(result(bucket(SUB2, HOUR), SubmissionStatus.DRY_RUN, 0), "x", NOW);

        List<BucketKey> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = ports.loadUsageEvents().findUsageEvents(new UsageEventQuery(Set.of(), UsageEventStatus.PENDING,
                    HOUR.start(), HOUR.start().plusSeconds(3 * 3600), 2, cursor));
            page.items().forEach(r -> seen.add(r.event().key()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).containsExactly(bucket(SUB, HOUR), bucket(SUB, HOUR.next()), bucket(SUB2, HOUR.next()),
                bucket(SUB, HOUR.next().next()), bucket(SUB2, HOUR.next().next()));
        assertThat(ports.loadUsageEvents().findUsageEvents(new UsageEventQuery(Set.of(SUB2), UsageEventStatus.DRY_RUN,
                null, null, 10, null)).items()).hasSize(1);
    }
}
