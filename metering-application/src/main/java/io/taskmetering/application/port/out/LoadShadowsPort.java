package io.taskmetering.application.port.out;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowReportQuery;
import io.taskmetering.application.model.ShadowRun;

import java.util.List;

/** Reads the shadow runs and the report of their decisions. */
public interface LoadShadowsPort {
    /** Every running shadow (few: one row per version and scope). */
    List<ShadowRun> findShadowRuns();

    /** One page of a shadow version's report rows, by subscription then hour. */
    Page<ShadowHour> findShadowHours(ShadowReportQuery query);
}
