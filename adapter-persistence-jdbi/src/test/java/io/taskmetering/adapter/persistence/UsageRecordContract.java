package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageAggregator;
import io.taskmetering.domain.usage.UsageFilter;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

/** UsageRecordPort: idempotency, filters, paging, aggregates in SQL agreeing with the domain's reference. */
abstract class UsageRecordContract extends StoreContract {
    private static final Comparator<UsageRecord> ORDER = Comparator.comparing(UsageRecord::timestamp)
            .thenComparing(r -> r.consumerId().value()).thenComparing(r -> r.taskId().value());

    private static List<UsageRecord> sample() {
        Random random = new Random(42);
        List<UsageRecord> records = new ArrayList<>();
        // spread over hours, days, ISO weeks and a year boundary, including instants before 1970 and in year 1
        Instant[] anchors = {T0, Instant.parse("2024-12-30T23:59:59.999999Z"), Instant.parse("1969-12-31T23:30:00Z"),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("2021-01-03T12:00:00Z")};
        for (int i = 0; i < 300; i++) {
            Instant at = anchors[i % anchors.length].plusSeconds(random.nextInt(200_000)).plusNanos(random.nextInt(1_000_000) * 1000L);
            records.add(usage("consumer-" + random.nextInt(4), "task-" + i, "agent-" + random.nextInt(5),
                    random.nextInt(10_000), random.nextInt(5_000), at));
        }
        return records;
    }

    @Test
    void isIdempotentPerConsumerTaskAndMicrosecond() {
        Instant at = Instant.parse("2026-02-06T14:00:00.123456789Z");
        UsageRecord record = usage("c1", "t1", "a1", 10, 5, at);
        var results = ports.usageRecords().insertUsageRecords(List.of(record,
                usage("c1", "t1", "a2", 99, 99, at.plusNanos(100)), usage("c2", "t1", "a1", 1, 1, at)));
        assertThat(results).containsExactly(InsertResult.INSERTED, InsertResult.ALREADY_PRESENT, InsertResult.INSERTED);
        var stored = ports.usageRecords().findUsageRecordsOfTask(new TaskId("t1"), Set.of(new ConsumerId("c1")));
        assertThat(stored).containsExactly(record);
        assertThat(stored.get(0).timestamp()).isEqualTo(Instant.parse("2026-02-06T14:00:00.123456Z"));
    }

    @Test
    void filtersPagesAndCountsInSql() {
        List<UsageRecord> records = sample();
        ports.usageRecords().insertUsageRecords(records);
        UsageFilter filter = UsageFilter.all().withAgent(new AgentId("agent-1"))
                .withPeriod(Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2026-02-07T00:00:00Z"));
        Set<ConsumerId> allowed = Set.of(new ConsumerId("consumer-0"), new ConsumerId("consumer-2"));
        List<UsageRecord> expected = records.stream().filter(filter::matches)
                .filter(r -> allowed.contains(r.consumerId())).sorted(ORDER).toList();
        assertThat(expected).hasSizeGreaterThan(5);

        var page = ports.usageRecords().findUsageRecords(new UsageRecordQuery(filter, allowed, 3, 2));
        assertThat(page.total()).isEqualTo(expected.size());
        assertThat(page.items()).containsExactlyElementsOf(expected.subList(2, 5));

        List<UsageRecord> streamed = new ArrayList<>();
        ports.usageRecords().streamUsageRecords(new UsageRecordQuery(filter, allowed, 1, 0), streamed::add);
        assertThat(streamed).containsExactlyElementsOf(expected);
    }

    @Test
    void aggregatesAndTotalsAgreeWithTheDomainReference() {
        List<UsageRecord> records = sample();
        ports.usageRecords().insertUsageRecords(records);
        UsageRecordQuery all = new UsageRecordQuery(UsageFilter.all(), Set.of(), 1, 0);
        for (UsageGroupBy groupBy : UsageGroupBy.values()) {
            assertThat(ports.usageRecords().aggregateUsage(all, groupBy)).as(groupBy.wireName())
                    .containsExactlyElementsOf(UsageAggregator.aggregate(records, groupBy));
        }
        assertThat(ports.usageRecords().usageTotals(all)).isEqualTo(UsageAggregator.totals(records));

        UsageFilter narrow = UsageFilter.all().withConsumer(new ConsumerId("consumer-1"));
        List<UsageRecord> matching = records.stream().filter(narrow::matches).toList();
        assertThat(ports.usageRecords().usageTotals(new UsageRecordQuery(narrow, Set.of(), 1, 0)))
                .isEqualTo(UsageAggregator.totals(matching));
        assertThat(ports.usageRecords().aggregateUsage(new UsageRecordQuery(narrow, Set.of(), 1, 0), UsageGroupBy.WEEK))
                .isEqualTo(UsageAggregator.aggregate(matching, UsageGroupBy.WEEK));
    }

    /** SUM over rows near 2^63 is an exact NUMERIC in SQL; totals saturate like the domain's, never throw. */
    @Test
    void totalsBeyondALongSaturateLikeTheDomainReference() {
        long huge = Long.MAX_VALUE - 1;
        List<UsageRecord> records = List.of(
                new UsageRecord(new TaskId("h1"), new AgentId("a1"), new ConsumerId("c1"), huge, 1, huge, huge, T0),
                new UsageRecord(new TaskId("h2"), new AgentId("a1"), new ConsumerId("c1"), huge, 1, huge, huge, T0),
                new UsageRecord(new TaskId("h3"), new AgentId("a2"), new ConsumerId("c1"), 0, huge, 5, 5, T0));
        ports.usageRecords().insertUsageRecords(records);
        UsageRecordQuery all = new UsageRecordQuery(UsageFilter.all(), Set.of(), 1, 0);

        var totals = ports.usageRecords().usageTotals(all);
        assertThat(totals).isEqualTo(UsageAggregator.totals(records));
        assertThat(totals.saturated()).isTrue();
        for (UsageGroupBy groupBy : UsageGroupBy.values()) {
            assertThat(ports.usageRecords().aggregateUsage(all, groupBy)).as(groupBy.wireName())
                    .containsExactlyElementsOf(UsageAggregator.aggregate(records, groupBy));
        }
    }

    @Test
    void emptyStoreHasZeroTotalsAndNoOldest() {
        UsageRecordQuery all = new UsageRecordQuery(UsageFilter.all(), Set.of(), 10, 0);
        assertThat(ports.usageRecords().usageTotals(all)).isEqualTo(UsageAggregator.totals(List.of()));
        assertThat(ports.usageRecords().usageStats().totalRecords()).isZero();
        assertThat(ports.usageRecords().usageStats().oldestTimestamp()).isNull();
        ports.usageRecords().insertUsageRecords(List.of(usage("c", "t", "a", 1, 1, T0), usage("c", "t2", "a", 1, 1, T0.minusSeconds(5))));
        assertThat(ports.usageRecords().usageStats().totalRecords()).isEqualTo(2);
        assertThat(ports.usageRecords().usageStats().oldestTimestamp()).isEqualTo(T0.minusSeconds(5));
    }
}
