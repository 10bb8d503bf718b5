package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Require;

import java.time.Instant;
import java.util.Objects;

/**
 * One append-only line of a charge's history: who changed what, when, why and under which rule version. The id is
 * {@code correlationId#version}, so two concurrent changes of the same charge version cannot both be ledgered.
 *
 * @param linkedEntryId the entry that recorded the charge, for every entry after it (null for that first entry)
 */
public record LedgerEntry(
        String entryId,
        CorrelationId correlationId,
        ChargeKey key,
        LedgerEntryType type,
        ChargeState fromState,
        ChargeState toState,
        BillingHour hour,
        String actor,
        String reason,
        String ruleVersion,
        Instant at,
        String linkedEntryId) {
    public static final int MAX_REASON_LENGTH = 2000;
    /** Joins a charge's correlation id and version into an entry id; set-based SQL builds the same id with it. */
    public static final String ID_SEPARATOR = "#";

    public LedgerEntry {
        Require.id("entry_id", entryId);
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(toState, "toState");
        Objects.requireNonNull(hour, "hour");
        Require.id("actor", actor);
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw new io.taskmetering.domain.common.InvalidValueException("note",
                    "must be at most " + MAX_REASON_LENGTH + " characters");
        }
        Require.id("rule_version", ruleVersion);
        Objects.requireNonNull(at, "at");
        if ((type == LedgerEntryType.CHARGE) != (fromState == null)) {
            throw new IllegalArgumentException("only the first entry has no previous state");
        }
    }

    /** The first entry of a charge. */
    public static LedgerEntry recorded(Charge charge, String actor, String reason, String ruleVersion) {
        if (charge.version() != 0) {
            throw new IllegalArgumentException("only a new charge is recorded");
        }
        return new LedgerEntry(charge.originEntryId(), charge.correlationId(), charge.key(), LedgerEntryType.CHARGE,
                null, charge.state(), charge.billingHour(), actor, reason, ruleVersion, charge.updatedAt(), null);
    }

    /** The first entry of a charge, with the reason every recorder gives: all gates passed, or why it is held. */
    public static LedgerEntry recorded(Charge charge, String actor, String ruleVersion) {
        String reason = charge.holdReasons().isEmpty()
                ? "all gates passed"
                : "held for review: " + String.join(", ", charge.holdReasons());
        return recorded(charge, actor, reason, ruleVersion);
    }

    /** The id of the entry that ledgers version {@code version} of a charge. */
    public static String entryId(CorrelationId correlationId, long version) {
        return correlationId.value() + ID_SEPARATOR + version;
    }

    /** The entry of one transition, linked to the charge's first entry. */
    public static LedgerEntry of(ChargeTransition transition, String actor, String reason, String ruleVersion) {
        Charge after = transition.after();
        return new LedgerEntry(entryId(after.correlationId(), after.version()), after.correlationId(), after.key(),
                transition.entryType(), transition.before().state(), after.state(), after.billingHour(), actor, reason,
                ruleVersion, after.updatedAt(), after.originEntryId());
    }
}
