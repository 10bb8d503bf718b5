package io.taskmetering.application.service;

import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.in.NotFoundException;
import io.taskmetering.application.testing.InMemoryStore;
import io.taskmetering.application.testing.OutcomeReportBuilder;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.IllegalTransitionException;
import io.taskmetering.domain.charge.LedgerEntry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The billing invariants of the whole application under random operation sequences — records (with retries,
 * re-sends, late and held outcomes), reviews, disputes and their resolution, hour closes and submissions with random
 * Marketplace answers — checked against the store after every step:
 * <ul>
 *   <li>an open hour's quantity is the number of QUALIFIED charges counted in it (billing property b);</li>
 *   <li>a closed hour's quantity is fixed, and it has a usage event of exactly that quantity, or none when 0;</li>
 *   <li>the cap counters hold the number of charges counted in the subscription's hour and day;</li>
 *   <li>one charge per key, one ledger entry per charge version, BILLABLE only in an invoiced hour;</li>
 *   <li>a refused change changes nothing, and the Marketplace is never called inside a transaction.</li>
 * </ul>
 */
class BillingInvariantsPropertiesTest {

    enum Kind { RECORD, RESEND, APPROVE, REJECT, DISPUTE, UPHOLD, REVERSE, ADVANCE, CLOSE, SUBMIT }

    record Op(Kind kind, int a, int b, int c) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(8, Kind.RECORD), net.jqwik.api.Tuple.of(1, Kind.RESEND),
                net.jqwik.api.Tuple.of(2, Kind.APPROVE), net.jqwik.api.Tuple.of(1, Kind.REJECT),
                net.jqwik.api.Tuple.of(2, Kind.DISPUTE), net.jqwik.api.Tuple.of(2, Kind.UPHOLD),
                net.jqwik.api.Tuple.of(1, Kind.REVERSE), net.jqwik.api.Tuple.of(3, Kind.ADVANCE),
                net.jqwik.api.Tuple.of(2, Kind.CLOSE), net.jqwik.api.Tuple.of(2, Kind.SUBMIT));
        Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 99), Arbitraries.integers().between(0, 99)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 250)
    void billingInvariantsHoldAfterEveryOperation(@ForAll("operations") List<Op> ops,
                                                   @ForAll @IntRange(min = 0, max = 3) int hourlyCap) {
        TestMetering app = new TestMetering().withPolicy(p -> p.withCaps(GuardrailCaps.of(hourlyCap, 0)));
        List<String> correlationIds = new ArrayList<>();
        Map<String, OutcomeReportBuilder> sent = new HashMap<>();
        int refused = 0;

        for (Op op : ops) {
            StoreSnapshot before = StoreSnapshot.of(app.store);
            try {
                apply(app, op, correlationIds, sent);
            } catch (IllegalTransitionException | NotFoundException e) {
                refused++;
                assertThat(StoreSnapshot.of(app.store)).as("a refused %s changes nothing", op.kind()).isEqualTo(before);
            }
            checkInvariants(app);
        }

        app.clock.advance(Duration.ofHours(3));
        app.closeHours();
        app.submit();
        checkInvariants(app);

        List<ChargeState> states = app.store.charges().stream().map(Charge::state).toList();
        Statistics.label("refused steps").collect(refused > 0);
        Statistics.label("billable").collect(states.contains(ChargeState.BILLABLE));
        Statistics.label("disputed, reversed or waived").collect(states.contains(ChargeState.DISPUTED)
                || states.contains(ChargeState.REVERSED) || states.contains(ChargeState.WAIVED));
        Statistics.label("billable").coverage(c -> c.check(true).percentage(p -> p > 15));
        Statistics.label("disputed, reversed or waived").coverage(c -> c.check(true).percentage(p -> p > 15));
    }

    private static void apply(TestMetering app, Op op, List<String> ids, Map<String, OutcomeReportBuilder> sent) {
        // Review and dispute steps mostly aim at existing charges; now and then at any decision (maybe none).
        List<Charge> charges = app.store.charges();
        String target = op.c() % 10 != 0 && !charges.isEmpty()
                ? charges.get(op.a() % charges.size()).correlationId().value()
                : ids.isEmpty() ? "none" : ids.get(op.a() % ids.size());
        switch (op.kind()) {
            case RECORD -> {
                String id = "c" + (ids.size() + 1);
                Instant occurred = app.clock.instant().minus(Duration.ofMinutes(op.c() % 90));
                OutcomeReportBuilder report = aReport().withCorrelationId(id).forTask("task-" + op.a() % 6)
                        .forSubscription(op.b() % 3 == 0 ? "sub-b" : "sub-a").occurredAt(occurred);
                if (op.b() % 10 == 1) {
                    report.failed();
                } else if (op.b() % 10 == 2) {
                    report.handedOffToHuman();
                }
                app.record(report);
                ids.add(id);
                sent.put(id, report);
            }
            case RESEND -> {
                if (!ids.isEmpty()) {
                    assertThat(app.record(sent.get(ids.get(op.a() % ids.size()))).replayed()).isTrue();
                }
            }
            case APPROVE -> app.approve(target);
            case REJECT -> app.reject(target);
            case DISPUTE -> app.dispute(target);
            case UPHOLD -> app.uphold(target);
            case REVERSE -> app.reverse(target);
            case ADVANCE -> app.clock.advance(Duration.ofMinutes(1 + op.a() % 40));
            case CLOSE -> app.closeHours();
            case SUBMIT -> {
                SubmissionStatus[] answers = {SubmissionStatus.ACCEPTED, SubmissionStatus.ACCEPTED,
                        SubmissionStatus.DRY_RUN, SubmissionStatus.RETRY_LATER, SubmissionStatus.REJECTED,
                        SubmissionStatus.DISCREPANCY};
                app.marketplace.answerByDefault(answers[op.a() % answers.length]);
                app.submit();
            }
        }
    }

    private static void checkInvariants(TestMetering app) {
        InMemoryStore store = app.store;
        List<Charge> charges = store.charges();
        Map<BucketKey, Long> counted = new HashMap<>();
        Map<BucketKey, Long> qualified = new HashMap<>();
        Map<CapPeriod, Long> capCounts = new HashMap<>();
        for (Charge charge : charges) {
            BucketKey bucket = charge.bucket();
            if (charge.counted()) {
                counted.merge(bucket, 1L, Long::sum);
                capCounts.merge(CapPeriod.hourOf(bucket.subscription(), bucket.hour()), 1L, Long::sum);
                capCounts.merge(CapPeriod.dayOf(bucket.subscription(), bucket.hour()), 1L, Long::sum);
            }
            if (charge.state() == ChargeState.QUALIFIED) {
                qualified.merge(bucket, 1L, Long::sum);
            }
        }
        for (HourBucket bucket : store.buckets().values()) {
            long countedHere = counted.getOrDefault(bucket.key(), 0L);
            assertThat(bucket.quantity()).as("quantity of %s", bucket.key()).isEqualTo(countedHere);
            if (!bucket.closed()) {
                assertThat(bucket.quantity()).as("open %s counts its QUALIFIED charges", bucket.key())
                        .isEqualTo(qualified.getOrDefault(bucket.key(), 0L));
            } else if (bucket.quantity() > 0) {
                assertThat(store.outboxRow(bucket.key()).event().quantity()).isEqualTo(bucket.quantity());
            } else {
                assertThat(store.outbox()).as("no event for quantity 0").doesNotContainKey(bucket.key());
            }
        }
        assertThat(store.buckets().keySet()).containsAll(counted.keySet());
        Map<CapPeriod, Long> counters = new HashMap<>(store.capCounters());
        counters.values().removeIf(count -> count == 0);
        assertThat(counters).as("cap counters = charges counted per subscription hour and day").isEqualTo(capCounts);
        assertThat(charges).extracting(Charge::key).doesNotHaveDuplicates();
        List<LedgerEntry> ledger = store.ledger();
        assertThat(ledger).extracting(LedgerEntry::entryId).doesNotHaveDuplicates();
        for (Charge charge : charges) {
            List<LedgerEntry> history = store.history(charge.correlationId());
            assertThat(history).hasSize((int) charge.version() + 1);
            assertThat(history.get(history.size() - 1).toState()).isEqualTo(charge.state());
            if (charge.state() == ChargeState.BILLABLE) {
                assertThat(store.outboxRow(charge.bucket()).status().invoiced())
                        .as("BILLABLE only in an invoiced hour").isTrue();
            }
            if (charge.state() == ChargeState.QUALIFIED && store.outbox().containsKey(charge.bucket())) {
                assertThat(store.outboxRow(charge.bucket()).status().invoiced())
                        .as("an invoiced hour has no QUALIFIED charge left").isFalse();
            }
        }
        assertThat(app.marketplace.callsInsideTransaction()).isZero();
    }
}
