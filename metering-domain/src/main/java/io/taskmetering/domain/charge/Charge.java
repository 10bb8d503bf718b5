package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A billable outcome of one task. Immutable: every operation returns a {@link ChargeTransition} with the new value,
 * the change to its hour's counter and the ledger entry type, so a caller can persist all three together.
 *
 * @param billingHour  the hour it is (or, while held, would be) counted in
 * @param late         billed in a later hour than the one it happened in, because its own had closed
 * @param disputedFrom the state a dispute started from (null unless DISPUTED)
 * @param counted      it contributes to its billing hour's quantity (true from QUALIFIED on, and kept when disputed
 *                     after its hour closed, because that hour's quantity is fixed)
 * @param holdReasons  why it was held for review (cap breach, ambiguity); empty otherwise
 * @param version      number of transitions so far; the ledger entry id of each is {@code correlationId#version}
 */
public record Charge(
        CorrelationId correlationId,
        ChargeKey key,
        AgentId agentId,
        Instant occurredAt,
        BillingHour billingHour,
        boolean late,
        ChargeState state,
        ChargeState disputedFrom,
        boolean counted,
        List<String> holdReasons,
        long version,
        Instant updatedAt) {

    public Charge {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(billingHour, "billingHour");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        holdReasons = List.copyOf(holdReasons == null ? List.of() : holdReasons);
        if ((state == ChargeState.DISPUTED) != (disputedFrom != null)) {
            throw new IllegalArgumentException("disputedFrom is set exactly when DISPUTED: " + state + "/" + disputedFrom);
        }
        if (state == ChargeState.PENDING_REVIEW && counted) {
            throw new IllegalArgumentException("a charge held for review is counted nowhere");
        }
        if ((state == ChargeState.QUALIFIED || state == ChargeState.BILLABLE) && !counted) {
            throw new IllegalArgumentException(state + " charges are counted in their hour");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must not be negative");
        }
    }

    /** A charge that passed every gate and cap; counted in its hour at once. */
    public static Charge qualified(CorrelationId correlationId, ChargeKey key, AgentId agentId, Instant occurredAt,
                                   HourAttribution attribution, Instant at) {
        return new Charge(correlationId, key, agentId, occurredAt, attribution.hour(), attribution.late(),
                ChargeState.QUALIFIED, null, true, List.of(), 0, at);
    }

    /** A charge held for a person; counted nowhere until approved. */
    public static Charge heldForReview(CorrelationId correlationId, ChargeKey key, AgentId agentId, Instant occurredAt,
                                       HourAttribution attribution, List<String> holdReasons, Instant at) {
        if (holdReasons == null || holdReasons.isEmpty()) {
            throw new IllegalArgumentException("a held charge says why it is held");
        }
        return new Charge(correlationId, key, agentId, occurredAt, attribution.hour(), attribution.late(),
                ChargeState.PENDING_REVIEW, null, false, holdReasons, 0, at);
    }

    /** The id of the ledger entry that recorded this charge; every later entry links to it. */
    public String originEntryId() {
        return LedgerEntry.entryId(correlationId, 0);
    }

    /** The hour bucket it is (or, while held, would be) counted in. */
    public BucketKey bucket() {
        return new BucketKey(key.subscription(), key.dimension(), billingHour);
    }

    /** Approve a held charge: QUALIFIED and counted in {@code attribution}'s hour (its own, or the oldest open one). */
    public ChargeTransition approve(HourAttribution attribution, Instant at) {
        ChargeState next = ChargeStateMachine.next(state, ChargeAction.APPROVE, null);
        Charge after = new Charge(correlationId, key, agentId, occurredAt, attribution.hour(), late || attribution.late(),
                next, null, true, holdReasons, version + 1, at);
        return new ChargeTransition(this, after, ChargeAction.APPROVE, 1, LedgerEntryType.STATE_CHANGE);
    }

    /** Reject a held charge: WAIVED, never billed. */
    public ChargeTransition reject(Instant at) {
        ChargeState next = ChargeStateMachine.next(state, ChargeAction.REJECT, null);
        return new ChargeTransition(this, with(next, null, counted, at), ChargeAction.REJECT, 0,
                LedgerEntryType.STATE_CHANGE);
    }

    /** The hour's usage event was accepted (or dry-run recorded): money is owed. */
    public ChargeTransition invoice(Instant at) {
        ChargeState next = ChargeStateMachine.next(state, ChargeAction.INVOICE, null);
        return new ChargeTransition(this, with(next, null, true, at), ChargeAction.INVOICE, 0,
                LedgerEntryType.STATE_CHANGE);
    }

    /**
     * A customer challenges the charge. While its hour is open it stops counting there (a disputed charge is not
     * counted in an hour that has not closed); once closed, the hour's quantity is fixed and the charge stays in it.
     * A BILLABLE charge's hour has been invoiced, so it is closed whatever {@code hourClosed} says: it is never
     * released (else upholding it would count it, and bill it, a second time in another hour).
     */
    public ChargeTransition dispute(boolean hourClosed, Instant at) {
        ChargeState next = ChargeStateMachine.next(state, ChargeAction.DISPUTE, null);
        boolean release = counted && !hourClosed && state != ChargeState.BILLABLE;
        return new ChargeTransition(this, with(next, state, counted && !release, at), ChargeAction.DISPUTE,
                release ? -1 : 0, LedgerEntryType.STATE_CHANGE);
    }

    /**
     * The dispute is rejected: the charge stands. If it still counts in a closed hour it returns to BILLABLE when that
     * hour was invoiced (before or during the dispute), else to QUALIFIED; if it had been released from an open hour it
     * is counted again in {@code reattribution}'s hour.
     */
    public ChargeTransition uphold(boolean hourInvoiced, HourAttribution reattribution, Instant at) {
        if (state == ChargeState.DISPUTED && !counted) {
            ChargeState next = ChargeStateMachine.next(state, ChargeAction.UPHOLD, ChargeState.QUALIFIED);
            Charge after = new Charge(correlationId, key, agentId, occurredAt, reattribution.hour(),
                    late || reattribution.late(), next, null, true, holdReasons, version + 1, at);
            return new ChargeTransition(this, after, ChargeAction.UPHOLD, 1, LedgerEntryType.STATE_CHANGE);
        }
        ChargeState target = disputedFrom == ChargeState.BILLABLE || hourInvoiced ? ChargeState.BILLABLE : ChargeState.QUALIFIED;
        ChargeState next = ChargeStateMachine.next(state, ChargeAction.UPHOLD, target);
        return new ChargeTransition(this, with(next, null, true, at), ChargeAction.UPHOLD, 0, LedgerEntryType.STATE_CHANGE);
    }

    /**
     * The dispute is granted. If the charge was in a submitted hour, the Marketplace cannot be corrected (first write
     * wins), so the reversal is ledgered as a credit owed; otherwise as a plain reversal.
     */
    public ChargeTransition reverse(Instant at) {
        ChargeState next = ChargeStateMachine.next(state, ChargeAction.REVERSE, null);
        LedgerEntryType type = counted ? LedgerEntryType.CREDIT : LedgerEntryType.REVERSAL;
        return new ChargeTransition(this, with(next, null, counted, at), ChargeAction.REVERSE, 0, type);
    }

    private Charge with(ChargeState next, ChargeState nextDisputedFrom, boolean nextCounted, Instant at) {
        return new Charge(correlationId, key, agentId, occurredAt, billingHour, late, next, nextDisputedFrom, nextCounted,
                holdReasons, version + 1, at);
    }
}
