package io.taskmetering.application.port.in;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.LeasedUsageEvent;
import java.util.List;

public interface SubmitUsageEventsUseCase {
    SubmissionRunResult submitDue(SubmitUsageEventsCommand command);

    /**
     * What one submission run ended as, per usage event, how many charges became BILLABLE, and the due hours it left
     * alone because another worker's claim on them was still running.
     */
    record SubmissionRunResult(List<SubmissionResult> results, long chargesInvoiced,
                               List<LeasedUsageEvent> inFlightElsewhere) {
        public SubmissionRunResult {
            results = List.copyOf(results);
            inFlightElsewhere = List.copyOf(inFlightElsewhere);
        }
    }
}
