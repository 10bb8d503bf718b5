package io.taskmetering.application.port.out;

import io.taskmetering.application.model.SubmissionResult;

import java.time.Instant;

/** Stores what the Marketplace answered for a claimed usage event. */
public interface RecordSubmissionsPort {
    /**
     * Stores one submission's end: the new status, Marketplace ids, every attempt; releases the claim. A result for an
     * event that is no longer claimed by {@code claimer} is still stored (the attempts happened) but never moves a
     * terminal status back.
     */
    void recordSubmission(SubmissionResult result, String claimer, Instant at);
}
