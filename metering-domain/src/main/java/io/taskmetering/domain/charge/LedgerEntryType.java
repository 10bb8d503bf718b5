package io.taskmetering.domain.charge;

/** Kinds of ledger entries. Entries are appended, never edited. */
public enum LedgerEntryType {
    /** The charge came into being (QUALIFIED or PENDING_REVIEW). */
    CHARGE,
    /** Review, dispute, uphold or invoicing moved the charge to another state. */
    STATE_CHANGE,
    /** A reversal of a charge that was never invoiced. */
    REVERSAL,
    /** A reversal of a charge whose hour was already submitted: a credit is owed to the customer. */
    CREDIT
}
