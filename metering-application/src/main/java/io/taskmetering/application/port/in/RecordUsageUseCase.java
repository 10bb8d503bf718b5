package io.taskmetering.application.port.in;

import java.util.List;

public interface RecordUsageUseCase {
    UsageRecordResult record(RecordUsageCommand command);

    /** Stores every record in one transaction; results in request order. */
    List<UsageRecordResult> recordBatch(RecordUsageBatchCommand command);
}
