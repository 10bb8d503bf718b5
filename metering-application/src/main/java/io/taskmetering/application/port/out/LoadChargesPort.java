package io.taskmetering.application.port.out;

import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;

import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.CorrelationId;

import java.util.Optional;

public interface LoadChargesPort {
    Optional<Charge> findCharge(CorrelationId correlationId);

    Page<Charge> findCharges(ChargeQuery query);

    /** How many charges are in {@code state} now, across every subscription. */
    long countCharges(ChargeState state);
}
