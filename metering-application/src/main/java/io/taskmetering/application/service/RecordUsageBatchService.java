package io.taskmetering.application.service;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.port.in.RecordUsageBatchCommand;
import io.taskmetering.application.port.in.RecordUsageBatchUseCase;
import io.taskmetering.application.port.in.UsageRecordResult;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.usage.UsageRecord;

import java.util.ArrayList;
import java.util.List;

/** Stores many usage records in one transaction. */
public final class RecordUsageBatchService implements RecordUsageBatchUseCase {
    private final UnitOfWork unitOfWork;
    private final UsageRecordPort usageRecords;

    public RecordUsageBatchService(UnitOfWork unitOfWork, UsageRecordPort usageRecords) {
        this.unitOfWork = unitOfWork;
        this.usageRecords = usageRecords;
    }

    @Override
    public List<UsageRecordResult> recordBatch(RecordUsageBatchCommand command) {
        List<UsageRecord> records = command.records();
        List<InsertResult> inserts = unitOfWork.inTransaction(() -> usageRecords.insertUsageRecords(records));
        List<UsageRecordResult> results = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            results.add(new UsageRecordResult(records.get(i).taskId(), inserts.get(i) == InsertResult.ALREADY_PRESENT));
        }
        return results;
    }
}
