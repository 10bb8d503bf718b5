package io.taskmetering.application.port.in;

import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.evaluation.ContractConfig;

import java.util.List;
import java.util.Map;

/**
 * Everything that explains one decision: the decision with its gates, the evidence (redacted per configuration; the
 * SHA-256 is of the evidence as received), what recording it did, the charge with its full ledger history, and the
 * usage event it was billed in with the Marketplace's answers, and the settings of the contract version that decided it
 * (null for a version that was never stored: decided before versions were kept, under a configuration since changed).
 * For a task read from an OpenTelemetry trace, {@code lateSpans} are the spans of its agent span's tree that arrived
 * after it was decided, as evidence trace entries with their {@code received_at}: shown, never part of what was
 * decided or billed. Absent parts are null or empty.
 */
public record EvidenceBundle(StoredDecision decision, ContractConfig contract, OutcomeRecord outcome, Charge charge,
                             List<LedgerEntry> history,
                             UsageEventRecord usageEvent, List<SubmissionAttempt> submissionAttempts,
                             List<Map<String, Object>> lateSpans) {
    public EvidenceBundle {
        history = List.copyOf(history);
        submissionAttempts = List.copyOf(submissionAttempts);
        lateSpans = List.copyOf(lateSpans);
    }
}
