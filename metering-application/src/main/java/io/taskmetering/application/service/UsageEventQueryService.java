package io.taskmetering.application.service;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.UsageEventQueries;
import io.taskmetering.application.port.out.LoadChargesPort;
import io.taskmetering.application.port.out.LoadUsageEventsPort;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.ChargeState;

/** Usage events read straight from storage, and the backlog counted at the moment it is asked for. */
public final class UsageEventQueryService implements UsageEventQueries {
    private final LoadUsageEventsPort usageEvents;
    private final LoadChargesPort charges;

    public UsageEventQueryService(LoadUsageEventsPort usageEvents, LoadChargesPort charges) {
        this.usageEvents = usageEvents;
        this.charges = charges;
    }

    @Override
    public Page<UsageEventRecord> listUsageEvents(UsageEventQuery query) {
        return usageEvents.findUsageEvents(query);
    }

    @Override
    public Backlog backlog() {
        return new Backlog(usageEvents.countUsageEvents(UsageEventStatus.PENDING),
                charges.countCharges(ChargeState.PENDING_REVIEW), charges.countCharges(ChargeState.DISPUTED));
    }
}
