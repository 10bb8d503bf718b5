package io.taskmetering.application.port.in;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowReportQuery;
import io.taskmetering.application.model.ShadowRun;

import java.util.List;

/** The shadow runs and what their versions would have billed. */
public interface ShadowQueries {
    /** Every running shadow. */
    List<ShadowRun> shadowRuns();

    /**
     * One page of a version's shadow report, per subscription and hour.
     *
     * @throws NotFoundException when no version has the id
     */
    Page<ShadowHour> shadowReport(ShadowReportQuery query);
}
