package io.taskmetering.application.port.in;

import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.evaluation.ContractConfig;

import java.util.List;

/**
 * Everything that explains one decision: the decision with its gates, the evidence (redacted per configuration; the
 * SHA-256 is of the evidence as received), what recording it did, the charge with its full ledger history, and the
 * usage event it was billed in with the Marketplace's answers, and the settings of the contract version that decided it
 * (null for a version that was never stored: decided before versions were kept, under a configuration since changed).
 * Absent parts are null or empty.
 */
public record EvidenceBundle(StoredDecision decision, ContractConfig contract, OutcomeRecord outcome, Charge charge,
                             List<LedgerEntry> history,
                             UsageEventRecord usageEvent, List<SubmissionAttempt> submissionAttempts) {
    public EvidenceBundle {
        history = List.copyOf(history);
        submissionAttempts = List.copyOf(submissionAttempts);
    }
}
