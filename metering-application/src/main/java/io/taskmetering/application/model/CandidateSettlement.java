package io.taskmetering.application.model;

import io.taskmetering.domain.common.CorrelationId;

import java.time.Instant;
import java.util.Objects;

/** What a settle run made of one claimed task candidate; each releases the claim. */
public sealed interface CandidateSettlement permits CandidateSettlement.Decided, CandidateSettlement.Nested,
        CandidateSettlement.Refused, CandidateSettlement.Postponed {
    String traceId();

    String spanId();

    /** Recorded as the outcome {@code correlationId}: never settled again. */
    record Decided(String traceId, String spanId, CorrelationId correlationId) implements CandidateSettlement {
        public Decided {
            Objects.requireNonNull(traceId, "traceId");
            Objects.requireNonNull(spanId, "spanId");
            Objects.requireNonNull(correlationId, "correlationId");
        }
    }

    /** Nested under another agent span: evidence of that one's task, never settled again. */
    record Nested(String traceId, String spanId) implements CandidateSettlement {
        public Nested {
            Objects.requireNonNull(traceId, "traceId");
            Objects.requireNonNull(spanId, "spanId");
        }
    }

    /** A task that could not be metered, for {@code reason}: never settled again, nothing billed. */
    record Refused(String traceId, String spanId, String reason) implements CandidateSettlement {
        public Refused {
            Objects.requireNonNull(traceId, "traceId");
            Objects.requireNonNull(spanId, "spanId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Not yet settled: due again at {@code until}. */
    record Postponed(String traceId, String spanId, Instant until) implements CandidateSettlement {
        public Postponed {
            Objects.requireNonNull(traceId, "traceId");
            Objects.requireNonNull(spanId, "spanId");
            Objects.requireNonNull(until, "until");
        }
    }
}
