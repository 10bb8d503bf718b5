package io.taskmetering.domain.trace;

import io.taskmetering.domain.common.SubscriptionRef;

import java.util.Objects;

/** What becomes of one received span at ingest ({@link TraceTasks#admit}). */
public sealed interface SpanAdmission permits SpanAdmission.Kept, SpanAdmission.Candidate, SpanAdmission.Rejected {

    /** Kept as part of its trace (evidence, usage); not an agent invocation. */
    record Kept() implements SpanAdmission {
    }

    /**
     * Kept, and an agent invocation that may be a task once its trace settles. {@code subscription} is what it will
     * be metered for; null only for an agent span nested under another admitted agent span of the same export, which
     * is evidence of that one's task and never a task of its own.
     */
    record Candidate(SubscriptionRef subscription) implements SpanAdmission {
    }

    /** Not kept: {@code reason} names the attribute to fix. */
    record Rejected(String reason) implements SpanAdmission {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
