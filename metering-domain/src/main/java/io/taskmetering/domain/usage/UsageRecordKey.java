package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.TaskId;
import java.time.Instant;

/**
 * The idempotency key of a usage record: re-reporting the same (consumer, task, timestamp) stores nothing new,
 * unlike the original, which stored every repeated POST again.
 * The timestamp is truncated to microseconds exactly like {@link UsageRecord#timestamp()}.
 */
public record UsageRecordKey(ConsumerId consumerId, TaskId taskId, Instant timestamp) {
    public UsageRecordKey {
        Require.present("consumer_id", consumerId);
        Require.present("task_id", taskId);
        timestamp = UsageTime.normalize("timestamp", timestamp);
    }
}
