package io.taskmetering.application.port.out;

import io.taskmetering.application.model.HourQuantity;
import io.taskmetering.application.model.InsightCell;
import io.taskmetering.application.model.InsightQuery;

import java.util.List;

/** The counts behind the insights, read with indexed range queries over the window asked for. */
public interface LoadInsightsPort {
    /** One cell per (subscription, hour, agent, agent version) with anything in the window, in no set order. */
    List<InsightCell> findInsightCells(InsightQuery query);

    /** The usage-event quantities of each subscription hour in the window (the agent filter does not apply). */
    List<HourQuantity> findHourQuantities(InsightQuery query);
}
