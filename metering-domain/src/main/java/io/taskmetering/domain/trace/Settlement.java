package io.taskmetering.domain.trace;

import java.time.Instant;
import java.util.Objects;

/** What an agent span comes to once its trace is looked at ({@link TraceTasks#settle}). */
public sealed interface Settlement permits Settlement.Task, Settlement.Nested, Settlement.Waiting,
        Settlement.Refused {

    /** A task of its own (no agent invocation above it): decide it now. */
    record Task(TraceTask task) implements Settlement {
        public Task {
            Objects.requireNonNull(task, "task");
        }
    }

    /** Nested under the agent span {@code agentSpanId}: evidence of that one's task, never a task of its own. */
    record Nested(String agentSpanId) implements Settlement {
        public Nested {
            Objects.requireNonNull(agentSpanId, "agentSpanId");
        }
    }

    /** Not yet: its settle delay, or the wait for an in-process parent, runs until {@code until}. */
    record Waiting(Instant until) implements Settlement {
        public Waiting {
            Objects.requireNonNull(until, "until");
        }
    }

    /**
     * A task of its own that cannot be metered ({@code reason} names the attribute): its agent span was kept as
     * nested at ingest and lacks what a task needs, or is no longer kept. Decided as nothing billed, so it is never
     * tried again.
     */
    record Refused(String reason) implements Settlement {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
