package io.taskmetering.domain.meter;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.RecordingOutcome;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.meter.ReportStream.Kind;
import io.taskmetering.domain.meter.ReportStream.Report;
import io.taskmetering.domain.testdata.MutableClock;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Billing property (a): a task is charged at most once, whatever the order and repetition of its reports — across
 * hours, subscriptions, retries, re-sends of the same correlation id and late arrivals. Every duplicate is counted.
 */
class ChargeOncePropertiesTest {

    @Provide
    Arbitrary<List<Report>> reports() {
        return ReportStream.reports(false).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void aTaskIsChargedAtMostOnceAndEveryDuplicateIsCounted(
            @ForAll("reports") List<Report> generated,
            @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 1000) Integer> resent,
            @ForAll long seed,
            @ForAll DedupeScope scope) {
        MutableClock clock = new MutableClock(ReportStream.BASE);
        OutcomeMeter meter = OutcomeMeter.builder().planId("basic").clock(clock).dedupeScope(scope).build();
        List<Report> arrivals = ReportStream.arrivalOrder(generated, resent, seed);

        List<MeteredOutcome> results = ReportStream.feed(meter, clock, arrivals);

        // What a correct meter must do, worked out independently: the first billable report of a key is charged,
        // later billable reports of the key (new correlation ids) are duplicates, re-sends answer as the first time.
        Map<ChargeKey, CorrelationId> firstOfKey = new LinkedHashMap<>();
        Map<CorrelationId, MeteredOutcome> firstAnswer = new HashMap<>();
        long expectedDuplicates = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            Report report = arrivals.get(i);
            MeteredOutcome result = results.get(i);
            CorrelationId id = CorrelationId.of(report.correlationId());
            MeteredOutcome earlier = firstAnswer.putIfAbsent(id, result);
            if (earlier != null) {
                assertThat(result).as("a re-sent correlation id answers as the first time").isEqualTo(earlier);
                continue;
            }
            if (report.kind() != Kind.BILLABLE) {
                assertThat(result.recording()).isEqualTo(RecordingOutcome.NotBillable.INSTANCE);
                continue;
            }
            ChargeKey key = keyOf(report, scope);
            CorrelationId original = firstOfKey.putIfAbsent(key, id);
            if (original == null) {
                assertThat(result.recording()).isInstanceOf(RecordingOutcome.Recorded.class);
            } else {
                expectedDuplicates++;
                assertThat(result.recording()).isEqualTo(new RecordingOutcome.Duplicate(key, original));
            }
        }

        List<Charge> charges = meter.charges();
        assertThat(charges).extracting(Charge::key).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(firstOfKey.keySet());
        charges.forEach(charge -> assertThat(charge.correlationId()).isEqualTo(firstOfKey.get(charge.key())));
        assertThat(meter.duplicates()).isEqualTo(expectedDuplicates);
        assertThat(meter.ledger()).extracting(LedgerEntry::entryId).doesNotHaveDuplicates().hasSize(charges.size());

        meter.closeDueHours(ReportStream.FAR_FUTURE);
        long billed = meter.usageEvents().stream().mapToLong(UsageEvent::quantity).sum();
        assertThat(billed).as("every charge is billed in exactly one hour").isEqualTo(charges.size());
        assertThat(meter.usageEvents()).extracting(UsageEvent::key).doesNotHaveDuplicates();

        Statistics.label("duplicates").collect(expectedDuplicates > 0);
        Statistics.label("late").collect(charges.stream().anyMatch(Charge::late));
        Statistics.label("duplicates").coverage(c -> c.check(true).percentage(p -> p > 30));
        Statistics.label("late").coverage(c -> c.check(true).percentage(p -> p > 10));
    }

    @Property(tries = 200)
    void inTaskScopeARetryIsADuplicateInWhateverHourItArrives(@ForAll("reports") List<Report> generated,
                                                              @ForAll long seed) {
        MutableClock clock = new MutableClock(ReportStream.BASE);
        OutcomeMeter meter = OutcomeMeter.builder().clock(clock).build();
        List<Report> arrivals = ReportStream.arrivalOrder(generated, List.of(), seed);

        ReportStream.feed(meter, clock, arrivals);

        Set<String> billableTasks = new HashSet<>();
        arrivals.stream().filter(r -> r.kind() == Kind.BILLABLE)
                .forEach(r -> billableTasks.add(r.subscription() + "/" + r.task()));
        meter.closeDueHours(ReportStream.FAR_FUTURE);
        long billed = meter.usageEvents().stream().mapToLong(UsageEvent::quantity).sum();
        assertThat(billed).as("tasks billed over all hours").isEqualTo(billableTasks.size());
        assertThat(meter.charges()).hasSize(billableTasks.size());
        Set<BillingHour> hours = new HashSet<>();
        meter.charges().forEach(c -> hours.add(c.billingHour()));
        Statistics.label("hours charged").collect(hours.size() > 1);
        Statistics.label("hours charged").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    private static ChargeKey keyOf(Report report, DedupeScope scope) {
        return ChargeKey.of(scope, SubscriptionRef.of(report.subscription()), Dimension.TASK_COMPLETED,
                TaskId.of(report.task()), BillingHour.containing(report.occurredAt()));
    }
}
