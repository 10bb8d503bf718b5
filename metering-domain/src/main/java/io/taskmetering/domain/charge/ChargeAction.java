package io.taskmetering.domain.charge;

import java.util.Locale;

/** Every way a charge's state can change. */
public enum ChargeAction {
    APPROVE, REJECT, DISPUTE, UPHOLD, REVERSE, INVOICE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
