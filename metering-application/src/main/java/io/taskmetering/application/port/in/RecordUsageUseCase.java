package io.taskmetering.application.port.in;

import io.taskmetering.domain.usage.UsageRecord;

import java.util.List;
import io.taskmetering.domain.common.TaskId;

public interface RecordUsageUseCase {
    UsageRecordResult record(UsageRecord record);

    /** Stores every record in one transaction; results in request order. */
    List<UsageRecordResult> recordBatch(RecordUsageBatchCommand command);

    /** A usage record was stored, or was already there (same consumer, task and timestamp): {@code duplicate}. */
    record UsageRecordResult(TaskId taskId, boolean duplicate) {
    }
}
