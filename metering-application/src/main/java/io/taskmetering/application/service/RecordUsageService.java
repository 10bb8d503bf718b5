package io.taskmetering.application.service;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.port.in.RecordUsageCommand;
import io.taskmetering.application.port.in.RecordUsageUseCase;
import io.taskmetering.application.port.in.UsageRecordResult;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.UsageRecordPort;

import java.util.List;

/** Stores one usage record; the same (consumer, task, timestamp) twice is stored once. */
public final class RecordUsageService implements RecordUsageUseCase {
    private final UnitOfWork unitOfWork;
    private final UsageRecordPort usageRecords;

    public RecordUsageService(UnitOfWork unitOfWork, UsageRecordPort usageRecords) {
        this.unitOfWork = unitOfWork;
        this.usageRecords = usageRecords;
    }

    @Override
    public UsageRecordResult record(RecordUsageCommand command) {
        InsertResult result = unitOfWork.inTransaction(
                () -> usageRecords.insertUsageRecords(List.of(command.record())).get(0));
        return new UsageRecordResult(command.record().taskId(), result == InsertResult.ALREADY_PRESENT);
    }
}
