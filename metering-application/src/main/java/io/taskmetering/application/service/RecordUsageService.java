package io.taskmetering.application.service;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.port.in.RecordUsageBatchCommand;
import io.taskmetering.application.port.in.RecordUsageUseCase;
import io.taskmetering.application.port.in.RecordUsageUseCase.UsageRecordResult;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.usage.UsageRecord;

import java.util.ArrayList;
import java.util.List;

/** Stores usage records, a batch in one transaction; the same (consumer, task, timestamp) twice is stored once. */
public final class RecordUsageService implements RecordUsageUseCase {
    private final UnitOfWork unitOfWork;
    private final UsageRecordPort usageRecords;

    public RecordUsageService(UnitOfWork unitOfWork, UsageRecordPort usageRecords) {
        this.unitOfWork = unitOfWork;
        this.usageRecords = usageRecords;
    }

    @Override
    public UsageRecordResult record(UsageRecord record) {
        return store(List.of(record)).get(0);
    }

    @Override
    public List<UsageRecordResult> recordBatch(RecordUsageBatchCommand command) {
        return store(command.records());
    }

    private List<UsageRecordResult> store(List<UsageRecord> records) {
        List<InsertResult> inserts = unitOfWork.inTransaction(() -> usageRecords.insertUsageRecords(records));
        List<UsageRecordResult> results = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            results.add(new UsageRecordResult(records.get(i).taskId(), inserts.get(i) == InsertResult.ALREADY_PRESENT));
        }
        return results;
    }
}
