package io.taskmetering.application.service;

import io.taskmetering.application.port.in.Backlog;
import io.taskmetering.application.port.in.BacklogUseCase;
import io.taskmetering.application.port.out.LoadChargesPort;
import io.taskmetering.application.port.out.UsageEventOutboxPort;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.ChargeState;

public final class BacklogService implements BacklogUseCase {
    private final LoadChargesPort charges;
    private final UsageEventOutboxPort outbox;

    public BacklogService(LoadChargesPort charges, UsageEventOutboxPort outbox) {
        this.charges = charges;
        this.outbox = outbox;
    }

    @Override
    public Backlog backlog() {
        return new Backlog(outbox.countUsageEvents(UsageEventStatus.PENDING),
                charges.countCharges(ChargeState.PENDING_REVIEW), charges.countCharges(ChargeState.DISPUTED));
    }
}
