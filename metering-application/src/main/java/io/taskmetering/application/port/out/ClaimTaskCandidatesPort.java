package io.taskmetering.application.port.out;

import io.taskmetering.application.model.CandidateSettlement;
import io.taskmetering.application.model.TaskCandidate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Task candidates are settled under leases, so several service instances never settle the same agent span at once,
 * and a crashed instance's candidates are taken up again once its lease expired.
 */
public interface ClaimTaskCandidatesPort {
    /**
     * Claims up to {@code limit} PENDING candidates due at {@code now} that are unclaimed or whose lease expired,
     * earliest due first, leasing them to {@code claimer} until {@code now + lease} ({@code FOR UPDATE SKIP LOCKED}
     * or an equivalent).
     */
    List<TaskCandidate> claimDueTaskCandidates(int limit, Instant now, Duration lease, String claimer);

    /**
     * Records what became of candidates and releases their claims: decided, nested and refused ones leave PENDING
     * for good (at {@code at}); a postponed one is due again at its time. A candidate no longer PENDING is left as it
     * is.
     */
    void settleTaskCandidates(List<CandidateSettlement> settlements, Instant at);
}
