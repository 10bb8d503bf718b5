package io.taskmetering.application.port.in;

import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Decision;

import java.util.Objects;

/** What recording one outcome did. */
public sealed interface OutcomeResult
        permits OutcomeResult.Decided, OutcomeResult.InvalidReport, OutcomeResult.CorrelationIdInUse {

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

    /** The report was refused; {@code field} names what was wrong. Nothing of it was written. */
    record InvalidReport(String field, String message) implements OutcomeResult, EvaluationResult {
        public InvalidReport {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The correlation id was recorded before for another task or subscription. A correlation id belongs to one task of
     * one subscription; the stored result is not shown (it may be another subscription's) and nothing was written.
     */
    record CorrelationIdInUse(CorrelationId correlationId) implements OutcomeResult, EvaluationResult {
        public CorrelationIdInUse {
            Objects.requireNonNull(correlationId, "correlationId");
        }
    }
}
