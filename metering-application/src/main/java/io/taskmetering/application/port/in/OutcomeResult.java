package io.taskmetering.application.port.in;

import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Decision;

import java.util.Objects;

/** What recording one outcome did. */
public sealed interface OutcomeResult permits OutcomeResult.Decided, InvalidReport, CorrelationIdInUse {

    /**
     * The outcome was decided and recorded ({@code recording} says what it came to), now or, when {@code replayed},
     * before: a re-sent correlation id answers the stored result.
     */
    record Decided(CorrelationId correlationId, TaskId taskId, SubscriptionRef subscription, Decision decision,
                   OutcomeRecord recording, boolean replayed) implements OutcomeResult {
        public Decided {
            Objects.requireNonNull(correlationId, "correlationId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(recording, "recording");
        }
    }
}
