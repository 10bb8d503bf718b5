package io.taskmetering.application.port.in;

public interface RecordUsageUseCase {
    UsageRecordResult record(RecordUsageCommand command);
}
