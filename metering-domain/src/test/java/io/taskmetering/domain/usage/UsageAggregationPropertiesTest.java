package io.taskmetering.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class UsageAggregationPropertiesTest {
    /** Spans the 2024/2025 and 2026/2027 ISO-week boundaries. */
    private static final Instant FROM = Instant.parse("2024-12-20T00:00:00Z");
    private static final Instant TO = Instant.parse("2027-01-10T00:00:00Z");

    @Property
    void totalsDoNotDependOnRecordOrder(
            @ForAll("records") List<UsageRecord> records, @ForAll Random random, @ForAll UsageGroupBy groupBy) {
        List<UsageRecord> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, random);

        assertThat(UsageAggregator.totals(shuffled)).isEqualTo(UsageAggregator.totals(records));
        assertThat(UsageAggregator.aggregate(shuffled, groupBy)).isEqualTo(UsageAggregator.aggregate(records, groupBy));
    }

    @Property
    void perGroupSumsEqualTheOverallTotals(@ForAll("records") List<UsageRecord> records, @ForAll UsageGroupBy groupBy) {
        UsageTotals overall = UsageAggregator.totals(records);
        List<UsageTotals> groups = UsageAggregator.aggregate(records, groupBy).stream()
                .map(UsageAggregate::totals)
                .toList();

        assertThat(groups.stream().mapToLong(UsageTotals::totalTasks).sum()).isEqualTo(overall.totalTasks());
        assertThat(groups.stream().mapToLong(UsageTotals::totalTokensIn).sum()).isEqualTo(overall.totalTokensIn());
        assertThat(groups.stream().mapToLong(UsageTotals::totalTokensOut).sum()).isEqualTo(overall.totalTokensOut());
        assertThat(groups.stream().mapToLong(UsageTotals::totalTokens).sum()).isEqualTo(overall.totalTokens());
        assertThat(groups.stream().mapToLong(UsageTotals::totalDurationMs).sum()).isEqualTo(overall.totalDurationMs());
        assertThat(groups.stream().mapToLong(UsageTotals::totalApiCalls).sum()).isEqualTo(overall.totalApiCalls());
        assertThat(groups).allSatisfy(group -> assertThat(group.totalTasks()).isPositive());
    }

    @Property
    void distinctCountsNeverExceedTheTaskCount(@ForAll("records") List<UsageRecord> records) {
        UsageTotals totals = UsageAggregator.totals(records);

        assertThat(totals.uniqueAgents()).isLessThanOrEqualTo(totals.totalTasks());
        assertThat(totals.uniqueConsumers()).isLessThanOrEqualTo(totals.totalTasks());
    }

    @Property
    void groupingByAgentOrConsumerGivesOneGroupPerDistinctId(@ForAll("records") List<UsageRecord> records) {
        UsageTotals totals = UsageAggregator.totals(records);

        assertThat(UsageAggregator.aggregate(records, UsageGroupBy.AGENT)).hasSize((int) totals.uniqueAgents());
        assertThat(UsageAggregator.aggregate(records, UsageGroupBy.CONSUMER)).hasSize((int) totals.uniqueConsumers());
    }

    @Property
    void periodKeysSortLikeTime(@ForAll("record") UsageRecord a, @ForAll("record") UsageRecord b) {
        UsageRecord earlier = a.timestamp().isAfter(b.timestamp()) ? b : a;
        UsageRecord later = earlier == a ? b : a;

        for (UsageGroupBy period : List.of(UsageGroupBy.HOUR, UsageGroupBy.DAY, UsageGroupBy.WEEK)) {
            assertThat(period.groupKey(earlier)).isLessThanOrEqualTo(period.groupKey(later));
        }
    }

    @Property
    void totalsAreTheExactSumsOrSaturatedAndFlagged(@ForAll("hugeRecords") List<UsageRecord> records) {
        BigInteger in = BigInteger.ZERO;
        BigInteger out = BigInteger.ZERO;
        BigInteger duration = BigInteger.ZERO;
        BigInteger calls = BigInteger.ZERO;
        for (UsageRecord r : records) {
            in = in.add(BigInteger.valueOf(r.tokensIn()));
            out = out.add(BigInteger.valueOf(r.tokensOut()));
            duration = duration.add(BigInteger.valueOf(r.durationMs()));
            calls = calls.add(BigInteger.valueOf(r.apiCalls()));
        }
        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        boolean beyond = in.add(out).compareTo(max) > 0 || duration.compareTo(max) > 0 || calls.compareTo(max) > 0;

        UsageTotals totals = UsageAggregator.totals(records);

        assertThat(totals.totalTokensIn()).isEqualTo(in.min(max).longValueExact());
        assertThat(totals.totalTokensOut()).isEqualTo(out.min(max).longValueExact());
        assertThat(totals.totalTokens()).isEqualTo(in.add(out).min(max).longValueExact());
        assertThat(totals.totalDurationMs()).isEqualTo(duration.min(max).longValueExact());
        assertThat(totals.totalApiCalls()).isEqualTo(calls.min(max).longValueExact());
        assertThat(totals.saturated()).isEqualTo(beyond);
    }

    /** Records with counts up to the edge of a long, as rows stored before the reporting limit may hold. */
    @Provide
    Arbitrary<List<UsageRecord>> hugeRecords() {
        // tokens_in + tokens_out of one record must fit in a long; the other counts may reach Long.MAX_VALUE.
        Arbitrary<Long> tokens = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
                Arbitraries.longs().between(Long.MAX_VALUE / 2 - 2, Long.MAX_VALUE / 2), Arbitraries.of(0L));
        Arbitrary<Long> count = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + 2), Arbitraries.of(0L));
        return Combinators.combine(Arbitraries.of("task-1", "task-2").map(TaskId::of),
                        Arbitraries.of("agent-alpha", "agent-beta").map(AgentId::of),
                        Arbitraries.of("sub-a", "sub-b").map(ConsumerId::of), tokens, tokens, count, count)
                .as((task, agent, consumer, in, out, duration, calls) ->
                        new UsageRecord(task, agent, consumer, in, out, duration, calls, FROM))
                .list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<UsageRecord>> records() {
        return record().list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<UsageRecord> record() {
        Arbitrary<Long> count = Arbitraries.longs().between(0, 1_000_000_000_000L);
        Arbitrary<Instant> timestamp = Arbitraries.longs()
                .between(0, ChronoUnit.MICROS.between(FROM, TO))
                .map(micros -> FROM.plus(micros, ChronoUnit.MICROS));
        return Combinators.combine(
                        Arbitraries.of("task-1", "task-2", "task-3", "task-4", "task-5").map(TaskId::of),
                        Arbitraries.of("agent-alpha", "agent-beta", "agent-gamma").map(AgentId::of),
                        Arbitraries.of("sub-a", "sub-b", "sub-c", "sub-d").map(ConsumerId::of),
                        count,
                        count,
                        count,
                        count,
                        timestamp)
                .as(UsageRecord::new);
    }
}
