package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.Require;

/**
 * The totals of one group of usage records, e.g. one agent or one ISO week.
 * {@code group} is {@link UsageGroupBy#groupKey} of the records in it; a blank one is refused under the
 * API field that carries it ({@link UsageGroupBy#groupField()}).
 */
public record UsageAggregate(UsageGroupBy groupBy, String group, UsageTotals totals) {
    public UsageAggregate {
        Require.present("group_by", groupBy);
        Require.id(groupBy.groupField(), group);
        Require.present("totals", totals);
    }
}
