package io.taskmetering.domain.usage;

import static io.taskmetering.domain.testdata.UsageRecordBuilder.aUsageRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmetering.domain.common.InvalidValueException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageAggregatorTest {

    private static final UsageRecord ALPHA_A_14H = aUsageRecord()
            .withTaskId("task-1").withAgentId("agent-alpha").withConsumerId("sub-a")
            .withTokensIn(100).withTokensOut(50).withDurationMs(1000).withApiCalls(2)
            .at("2026-02-06T14:05:00Z").build();
    private static final UsageRecord ALPHA_B_14H = aUsageRecord()
            .withTaskId("task-2").withAgentId("agent-alpha").withConsumerId("sub-b")
            .withTokensIn(200).withTokensOut(100).withDurationMs(3000).withApiCalls(4)
            .at("2026-02-06T14:55:00Z").build();
    private static final UsageRecord BETA_A_15H = aUsageRecord()
            .withTaskId("task-3").withAgentId("agent-beta").withConsumerId("sub-a")
            .withTokensIn(10).withTokensOut(5).withDurationMs(500).withApiCalls(1)
            .at("2026-02-06T15:10:00Z").build();
    private static final UsageRecord BETA_A_NEXT_WEEK = aUsageRecord()
            .withTaskId("task-4").withAgentId("agent-beta").withConsumerId("sub-a")
            .withTokensIn(0).withTokensOut(0).withDurationMs(0).withApiCalls(0)
            .at("2026-02-09T00:00:00Z").build();

    /** Deliberately out of order: aggregation must not depend on arrival order. */
    private static final List<UsageRecord> RECORDS = List.of(BETA_A_NEXT_WEEK, BETA_A_15H, ALPHA_B_14H, ALPHA_A_14H);

    @Test
    void totalsSumEveryRecordAndCountDistinctAgentsAndConsumers() {
        UsageTotals totals = UsageAggregator.totals(RECORDS);

        assertThat(totals).isEqualTo(new UsageTotals(4, 310, 155, 465, 4500, 7, 2, 2, false));
        assertThat(totals.avgTokensPerTask()).isEqualTo(new BigDecimal("116.25"));
        assertThat(totals.avgDurationMsPerTask()).isEqualTo(new BigDecimal("1125.00"));
    }

    @Test
    void totalsOfNothingAreZero() {
        UsageTotals totals = UsageAggregator.totals(List.of());

        assertThat(totals).isEqualTo(new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, false));
        assertThat(totals.avgTokensPerTask()).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void retriesOfOneTaskEachCountAsATask() {
        UsageRecord attempt = aUsageRecord().at("2026-02-06T14:00:00Z").build();
        UsageRecord retry = aUsageRecord().at("2026-02-06T14:01:00Z").build();

        assertThat(UsageAggregator.totals(List.of(attempt, retry)).totalTasks()).isEqualTo(2);
    }

    @Test
    void aggregatesByAgent() {
        List<UsageAggregate> byAgent = UsageAggregator.aggregate(RECORDS, UsageGroupBy.AGENT);

        assertThat(byAgent).containsExactly(
                new UsageAggregate(UsageGroupBy.AGENT, "agent-alpha", new UsageTotals(2, 300, 150, 450, 4000, 6, 1, 2, false)),
                new UsageAggregate(UsageGroupBy.AGENT, "agent-beta", new UsageTotals(2, 10, 5, 15, 500, 1, 1, 1, false)));
        assertThat(byAgent.get(0).totals().avgTokensPerTask()).isEqualTo(new BigDecimal("225.00"));
        assertThat(byAgent.get(0).totals().avgDurationMsPerTask()).isEqualTo(new BigDecimal("2000.00"));
        assertThat(byAgent.get(1).totals().avgTokensPerTask()).isEqualTo(new BigDecimal("7.50"));
        assertThat(byAgent.get(1).totals().avgDurationMsPerTask()).isEqualTo(new BigDecimal("250.00"));
    }

    @Test
    void aggregatesByConsumer() {
        assertThat(UsageAggregator.aggregate(RECORDS, UsageGroupBy.CONSUMER)).containsExactly(
                new UsageAggregate(UsageGroupBy.CONSUMER, "sub-a", new UsageTotals(3, 110, 55, 165, 1500, 3, 2, 1, false)),
                new UsageAggregate(UsageGroupBy.CONSUMER, "sub-b", new UsageTotals(1, 200, 100, 300, 3000, 4, 1, 1, false)));
    }

    @Test
    void aggregatesByHour() {
        assertThat(UsageAggregator.aggregate(RECORDS, UsageGroupBy.HOUR)).containsExactly(
                new UsageAggregate(UsageGroupBy.HOUR, "2026-02-06T14:00:00Z", new UsageTotals(2, 300, 150, 450, 4000, 6, 1, 2, false)),
                new UsageAggregate(UsageGroupBy.HOUR, "2026-02-06T15:00:00Z", new UsageTotals(1, 10, 5, 15, 500, 1, 1, 1, false)),
                new UsageAggregate(UsageGroupBy.HOUR, "2026-02-09T00:00:00Z", new UsageTotals(1, 0, 0, 0, 0, 0, 1, 1, false)));
    }

    @Test
    void aggregatesByDay() {
        assertThat(UsageAggregator.aggregate(RECORDS, UsageGroupBy.DAY)).containsExactly(
                new UsageAggregate(UsageGroupBy.DAY, "2026-02-06", new UsageTotals(3, 310, 155, 465, 4500, 7, 2, 2, false)),
                new UsageAggregate(UsageGroupBy.DAY, "2026-02-09", new UsageTotals(1, 0, 0, 0, 0, 0, 1, 1, false)));
    }

    @Test
    void aggregatesByIsoWeek() {
        List<UsageAggregate> byWeek = UsageAggregator.aggregate(RECORDS, UsageGroupBy.WEEK);

        assertThat(byWeek).containsExactly(
                new UsageAggregate(UsageGroupBy.WEEK, "2026-W06", new UsageTotals(3, 310, 155, 465, 4500, 7, 2, 2, false)),
                new UsageAggregate(UsageGroupBy.WEEK, "2026-W07", new UsageTotals(1, 0, 0, 0, 0, 0, 1, 1, false)));
        assertThat(byWeek.get(0).totals().avgTokensPerTask()).isEqualTo(new BigDecimal("155.00"));
        assertThat(byWeek.get(0).totals().avgDurationMsPerTask()).isEqualTo(new BigDecimal("1500.00"));
    }

    @Test
    void weeksAcrossAYearBoundarySortChronologically() {
        List<UsageRecord> records = List.of(
                aUsageRecord().at("2027-01-04T00:00:00Z").build(),
                aUsageRecord().at("2027-01-01T00:00:00Z").build(),
                aUsageRecord().at("2026-12-27T00:00:00Z").build());

        assertThat(UsageAggregator.aggregate(records, UsageGroupBy.WEEK))
                .extracting(UsageAggregate::group)
                .containsExactly("2026-W52", "2026-W53", "2027-W01");
    }

    @Test
    void groupsAreSortedByKeyAscending() {
        List<UsageRecord> records = List.of(
                aUsageRecord().withAgentId("agent-gamma").build(),
                aUsageRecord().withAgentId("agent-alpha").build(),
                aUsageRecord().withAgentId("agent-beta").build(),
                aUsageRecord().withAgentId("agent-alpha").build());

        assertThat(UsageAggregator.aggregate(records, UsageGroupBy.AGENT))
                .extracting(UsageAggregate::group)
                .containsExactly("agent-alpha", "agent-beta", "agent-gamma");
    }

    @Test
    void aggregatingNothingGivesNoGroups() {
        assertThat(UsageAggregator.aggregate(List.of(), UsageGroupBy.DAY)).isEmpty();
    }

    @Test
    void aggregatingWithoutAGroupByIsRefused() {
        assertThatThrownBy(() -> UsageAggregator.aggregate(RECORDS, null))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("group_by");
    }

    @Test
    void sumsBeyondALongSaturateAtLongMaxValueAndSaySo() {
        UsageRecord huge = aUsageRecord().withTokensIn(Long.MAX_VALUE).withTokensOut(0)
                .withDurationMs(Long.MAX_VALUE).withApiCalls(Long.MAX_VALUE).build();

        UsageTotals totals = UsageAggregator.totals(List.of(huge, huge));

        assertThat(totals).isEqualTo(new UsageTotals(2, Long.MAX_VALUE, 0, Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE, 1, 1, true));
    }

    @Test
    void eachSumSaturatesOnItsOwn() {
        UsageTotalsAccumulator accumulator = new UsageTotalsAccumulator();
        accumulator.add(aUsageRecord().withTokensIn(1).withTokensOut(2).withDurationMs(Long.MAX_VALUE).withApiCalls(3)
                .build());
        accumulator.add(aUsageRecord().withAgentId("agent-omega").withTokensIn(4).withTokensOut(5).withDurationMs(1)
                .withApiCalls(6).build());

        assertThat(accumulator.toTotals()).isEqualTo(new UsageTotals(2, 5, 7, 12, Long.MAX_VALUE, 9, 2, 1, true));
    }

    @Test
    void sumsThatReachLongMaxValueExactlyAreNotSaturated() {
        UsageRecord half = aUsageRecord().withTokensIn(0).withTokensOut(0).withDurationMs(Long.MAX_VALUE / 2).build();
        UsageRecord rest = aUsageRecord().withTokensIn(0).withTokensOut(0).withDurationMs(Long.MAX_VALUE / 2 + 1).build();

        UsageTotals totals = UsageAggregator.totals(List.of(half, rest));

        assertThat(totals.totalDurationMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(totals.saturated()).isFalse();
    }

    @Test
    void tokenTotalsSaturateWhenInAndOutTogetherExceedALong() {
        UsageRecord in = aUsageRecord().withTokensIn(Long.MAX_VALUE).withTokensOut(0).build();
        UsageRecord out = aUsageRecord().withTokensIn(0).withTokensOut(Long.MAX_VALUE).build();

        UsageTotals totals = UsageAggregator.totals(List.of(in, out));

        assertThat(totals.totalTokensIn()).isEqualTo(Long.MAX_VALUE);
        assertThat(totals.totalTokensOut()).isEqualTo(Long.MAX_VALUE);
        assertThat(totals.totalTokens()).isEqualTo(Long.MAX_VALUE);
        assertThat(totals.saturated()).isTrue();
    }

    @Test
    void anAccumulatorCanBeReadWhileRecordsStreamThrough() {
        UsageTotalsAccumulator accumulator = new UsageTotalsAccumulator();
        accumulator.add(ALPHA_A_14H);
        UsageTotals first = accumulator.toTotals();
        accumulator.add(ALPHA_B_14H);

        assertThat(first).isEqualTo(new UsageTotals(1, 100, 50, 150, 1000, 2, 1, 1, false));
        assertThat(accumulator.toTotals()).isEqualTo(new UsageTotals(2, 300, 150, 450, 4000, 6, 1, 2, false));
    }
}
