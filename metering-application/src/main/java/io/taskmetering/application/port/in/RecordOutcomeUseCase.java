package io.taskmetering.application.port.in;

public interface RecordOutcomeUseCase {
    OutcomeResult record(RecordOutcomeCommand command);
}
