package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.Require;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reference aggregation of usage records in memory. Adapters that aggregate in the database must agree with it;
 * it is also what they use when they stream records through {@link UsageTotalsAccumulator}s instead.
 * Sums are exact, or saturated and flagged where they exceed a {@code long} ({@link UsageTotals#ofSums}).
 */
public final class UsageAggregator {
    private UsageAggregator() {
    }

    /** The totals over all records; each record counts as one task. */
    public static UsageTotals totals(Iterable<UsageRecord> records) {
        Objects.requireNonNull(records, "records");
        UsageTotalsAccumulator accumulator = new UsageTotalsAccumulator();
        records.forEach(accumulator::add);
        return accumulator.toTotals();
    }

    /** One aggregate per non-empty group, sorted by group key ascending (chronological for periods). */
    public static List<UsageAggregate> aggregate(Iterable<UsageRecord> records, UsageGroupBy groupBy) {
        Objects.requireNonNull(records, "records");
        Require.present("group_by", groupBy);
        Map<String, UsageTotalsAccumulator> groups = new TreeMap<>();
        for (UsageRecord record : records) {
            groups.computeIfAbsent(groupBy.groupKey(record), group -> new UsageTotalsAccumulator()).add(record);
        }
        return groups.entrySet().stream()
                .map(group -> new UsageAggregate(groupBy, group.getKey(), group.getValue().toTotals()))
                .toList();
    }
}
