package io.taskmetering.domain.insight;

import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to the outcomes and charges of one slice (a subscription hour, an agent, a version): the counts the
 * insight rates are computed from.
 *
 * @param attempted          metered outcome reports (every report, duplicates included)
 * @param duplicates         reports of a task already charged: suppressed, charged nothing
 * @param notBillableByGate  reports that failed a gate, by the first gate that failed ({@code terminal_success}, ...)
 * @param evidenceComplete   reports whose evidence has at least one output and at least one trace entry
 * @param charges            charges created (billing hour in the slice), whatever their state now
 * @param billable           charges counted in their billing hour now
 * @param heldForReview      charges waiting for a person now
 * @param disputed           charges under dispute now
 * @param reversed           charges reversed after a dispute
 */
public record InsightCounts(long attempted, long duplicates, Map<String, Long> notBillableByGate, long evidenceComplete,
                            long charges, long billable, long heldForReview, long disputed, long reversed) {
    public static final InsightCounts NONE = new InsightCounts(0, 0, Map.of(), 0, 0, 0, 0, 0, 0);

    public InsightCounts {
        notBillableByGate = Map.copyOf(notBillableByGate == null ? Map.of() : notBillableByGate);
        if (attempted < 0 || duplicates < 0 || evidenceComplete < 0 || charges < 0 || billable < 0
                || heldForReview < 0 || disputed < 0 || reversed < 0
                || notBillableByGate.values().stream().anyMatch(n -> n == null || n < 0)) {
            throw new IllegalArgumentException("insight counts cannot be negative");
        }
    }

    /** Reports that failed a gate, whichever. */
    public long notBillable() {
        return notBillableByGate.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The breakdown by gate, in gate name order. */
    public Map<String, Long> notBillableByGateSorted() {
        return new TreeMap<>(notBillableByGate);
    }

    public InsightCounts plus(InsightCounts other) {
        Map<String, Long> gates = new TreeMap<>(notBillableByGate);
        other.notBillableByGate.forEach((gate, n) -> gates.merge(gate, n, Long::sum));
        return new InsightCounts(attempted + other.attempted, duplicates + other.duplicates, gates,
                evidenceComplete + other.evidenceComplete, charges + other.charges, billable + other.billable,
                heldForReview + other.heldForReview, disputed + other.disputed, reversed + other.reversed);
    }

    /** Charges counted in their hour per metered report. */
    public Rate conversion() {
        return new Rate(billable, attempted);
    }

    /** Reports suppressed as duplicates per metered report. */
    public Rate duplicateSuppression() {
        return new Rate(duplicates, attempted);
    }

    /** Charges waiting for review per charge created. */
    public Rate review() {
        return new Rate(heldForReview, charges);
    }

    /** Charges under dispute or reversed after one, per charge created. */
    public Rate dispute() {
        return new Rate(disputed + reversed, charges);
    }

    /** Charges reversed per charge created. */
    public Rate reversal() {
        return new Rate(reversed, charges);
    }

    /** Reports with complete evidence per metered report. */
    public Rate evidenceCompleteness() {
        return new Rate(evidenceComplete, attempted);
    }
}
