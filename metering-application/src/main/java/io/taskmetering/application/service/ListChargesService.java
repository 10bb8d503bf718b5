package io.taskmetering.application.service;

import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.port.in.ListChargesUseCase;
import io.taskmetering.application.port.out.LoadChargesPort;
import io.taskmetering.domain.charge.Charge;

public final class ListChargesService implements ListChargesUseCase {
    private final LoadChargesPort charges;

    public ListChargesService(LoadChargesPort charges) {
        this.charges = charges;
    }

    @Override
    public Page<Charge> listCharges(ChargeQuery query) {
        return charges.findCharges(query);
    }
}
