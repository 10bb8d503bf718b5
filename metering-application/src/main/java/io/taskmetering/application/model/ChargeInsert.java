package io.taskmetering.application.model;

import io.taskmetering.domain.common.CorrelationId;

import java.util.Objects;

/** Result of inserting one charge: inserted, or a duplicate of the charge already stored under {@code existing}. */
public record ChargeInsert(InsertResult result, CorrelationId existing) {
    public ChargeInsert {
        Objects.requireNonNull(result, "result");
        if ((result == InsertResult.ALREADY_PRESENT) != (existing != null)) {
            throw new IllegalArgumentException("a duplicate names the existing charge, an insert does not");
        }
    }

    public static ChargeInsert inserted() {
        return new ChargeInsert(InsertResult.INSERTED, null);
    }

    public static ChargeInsert duplicateOf(CorrelationId existing) {
        return new ChargeInsert(InsertResult.ALREADY_PRESENT, existing);
    }

    public boolean isDuplicate() {
        return result == InsertResult.ALREADY_PRESENT;
    }
}
