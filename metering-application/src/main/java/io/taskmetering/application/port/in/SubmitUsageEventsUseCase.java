package io.taskmetering.application.port.in;

import io.taskmetering.application.model.SubmissionResult;
import java.util.List;

public interface SubmitUsageEventsUseCase {
    SubmissionRunResult submitDue(SubmitUsageEventsCommand command);

    /** What one submission run ended as, per usage event, and how many charges became BILLABLE. */
    record SubmissionRunResult(List<SubmissionResult> results, long chargesInvoiced) {
        public SubmissionRunResult {
            results = List.copyOf(results);
        }
    }
}
