package io.taskmetering.application.port.out;

import io.taskmetering.domain.billing.CapPeriod;

import java.util.Map;
import java.util.SortedSet;

/** Counts of admitted charges per subscription hour and day, for guardrail caps. */
public interface CapCounterPort {
    /** Locks the counters (in order) for the rest of the transaction; missing ones read as 0. */
    Map<CapPeriod, Long> lockCapCounters(SortedSet<CapPeriod> periods);

    /** Writes the new counts of counters locked in this transaction. */
    void saveCapCounters(Map<CapPeriod, Long> counts);
}
