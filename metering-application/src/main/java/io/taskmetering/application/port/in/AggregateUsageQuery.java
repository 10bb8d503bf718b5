package io.taskmetering.application.port.in;

import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.usage.UsageGroupBy;

/** Usage grouped by agent, consumer, hour, day or ISO week (also serves the agents and consumers listings). */
public record AggregateUsageQuery(UsageRecordQuery query, UsageGroupBy groupBy) {
    public AggregateUsageQuery {
        Require.present("query", query);
        Require.present("group_by", groupBy);
    }
}
