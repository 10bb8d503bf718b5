package io.taskmetering.application.port.in;

import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import java.util.List;

public interface CloseHoursUseCase {
    CloseHoursResult closeDueHours(CloseHoursCommand command);

    /** Hours closed in one run: the usage events written, and the buckets that closed empty (no event: quantity 0). */
    record CloseHoursResult(List<UsageEvent> events, List<BucketKey> emptyBuckets) {
        public CloseHoursResult {
            events = List.copyOf(events);
            emptyBuckets = List.copyOf(emptyBuckets);
        }
    }
}
