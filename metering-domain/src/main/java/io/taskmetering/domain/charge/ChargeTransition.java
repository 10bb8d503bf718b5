package io.taskmetering.domain.charge;

import java.util.List;
import java.util.Objects;

/**
 * One legal state change: the charge before and after, and what it does to the quantity of {@code after}'s billing
 * hour ({@code +1} counted there, {@code -1} released from it, {@code 0} no change).
 */
public record ChargeTransition(Charge before, Charge after, ChargeAction action, int countDelta, LedgerEntryType entryType) {
    public ChargeTransition {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(entryType, "entryType");
        if (countDelta < -1 || countDelta > 1) {
            throw new IllegalArgumentException("countDelta is -1, 0 or 1");
        }
    }

    /** The counter change the caller applies with this transition (none when {@code countDelta} is 0). */
    public List<CountChange> countChanges() {
        return countDelta == 0 ? List.of() : List.of(new CountChange(after.bucket(), countDelta));
    }
}
