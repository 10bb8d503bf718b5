package io.taskmetering.application.port.in;

import io.taskmetering.domain.usage.UsageRecord;

import java.util.List;

public interface RecordUsageUseCase {
    UsageRecordResult record(UsageRecord record);

    /** Stores every record in one transaction; results in request order. */
    List<UsageRecordResult> recordBatch(RecordUsageBatchCommand command);
}
