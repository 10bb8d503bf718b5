package io.taskmetering.domain.trace;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

import java.time.Duration;

/**
 * Where a team's conventions differ from the defaults: which span attributes name the task and the subscription,
 * how long a task's agent span settles before it is decided (so children and evaluations sent with or just after it
 * are part of its evidence), and how long an agent span whose in-process parent has not arrived waits for it before
 * it is taken for a task of its own. Both waits are bounded well inside the hour grace.
 */
public record TraceMapping(String taskIdAttribute, String subscriptionAttribute, Duration settleDelay,
                           Duration parentWait) {
    /** The longest either wait may be: far inside the ten-minute default hour grace. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(5);

    public TraceMapping {
        Require.present("task_id_attribute", taskIdAttribute);
        Require.present("subscription_attribute", subscriptionAttribute);
        requireWait("settle_delay", settleDelay);
        requireWait("parent_wait", parentWait);
    }

    public static TraceMapping defaults() {
        return new TraceMapping("metering.task_id", "metering.subscription_ref", Duration.ofSeconds(5),
                Duration.ofSeconds(60));
    }

    private static void requireWait(String field, Duration wait) {
        Require.present(field, wait);
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new InvalidValueException(field, "must be between PT0S and " + MAX_WAIT);
        }
    }
}
