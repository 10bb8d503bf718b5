package io.taskmetering.application.port.in;

import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.usage.UsageRecord;

import java.util.function.Consumer;

/** Every matching usage record, streamed to {@code sink} in timestamp order with constant memory. */
public record ExportUsageQuery(UsageRecordQuery query, Consumer<UsageRecord> sink) {
    public ExportUsageQuery {
        Require.present("query", query);
        Require.present("sink", sink);
    }
}
