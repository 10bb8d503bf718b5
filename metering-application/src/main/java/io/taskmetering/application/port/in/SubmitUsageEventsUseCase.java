package io.taskmetering.application.port.in;

public interface SubmitUsageEventsUseCase {
    SubmissionRunResult submitDue(SubmitUsageEventsCommand command);
}
