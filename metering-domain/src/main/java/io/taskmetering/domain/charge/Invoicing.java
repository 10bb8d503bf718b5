package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BucketKey;

/**
 * Invoicing an hour the Marketplace accepted (or dry-run recorded): each of its counted QUALIFIED charges becomes
 * BILLABLE ({@link Charge#invoice}) and is ledgered with this actor and reason. Every invoicer uses these, including
 * the set-based SQL that invoices a whole hour in one statement.
 */
public final class Invoicing {
    public static final String ACTOR = "marketplace";
    public static final String REASON = "hour accepted by the Marketplace";

    private Invoicing() {
    }

    /** Whether invoicing {@code hour} moves {@code charge}. */
    public static boolean invoices(BucketKey hour, Charge charge) {
        return charge.state() == ChargeState.QUALIFIED && charge.counted() && charge.bucket().equals(hour);
    }

    /** The ledger entry of one invoiced charge. */
    public static LedgerEntry entry(ChargeTransition invoiced, String ruleVersion) {
        if (invoiced.action() != ChargeAction.INVOICE) {
            throw new IllegalArgumentException("not an invoice: " + invoiced.action());
        }
        return LedgerEntry.of(invoiced, ACTOR, REASON, ruleVersion);
    }
}
