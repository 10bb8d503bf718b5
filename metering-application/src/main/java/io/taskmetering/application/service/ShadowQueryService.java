package io.taskmetering.application.service;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowReportQuery;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.application.port.in.NotFoundException;
import io.taskmetering.application.port.in.ShadowQueries;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.LoadShadowsPort;

import java.util.List;

/** Answers the shadow runs and reports from storage. */
public final class ShadowQueryService implements ShadowQueries {
    private final LoadShadowsPort shadows;
    private final LoadContractsPort contracts;

    public ShadowQueryService(LoadShadowsPort shadows, LoadContractsPort contracts) {
        this.shadows = shadows;
        this.contracts = contracts;
    }

    @Override
    public List<ShadowRun> shadowRuns() {
        return shadows.findShadowRuns();
    }

    @Override
    public Page<ShadowHour> shadowReport(ShadowReportQuery query) {
        if (contracts.findVersion(query.version()).isEmpty()) {
            throw new NotFoundException("no contract version " + query.version());
        }
        return shadows.findShadowHours(query);
    }
}
