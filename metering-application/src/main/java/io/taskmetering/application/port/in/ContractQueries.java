package io.taskmetering.application.port.in;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.domain.contract.ContractPeriod;
import io.taskmetering.domain.contract.ContractSchedule;

import java.util.List;
import java.util.Optional;

/** The contract versions, where and when each applies, and the schedule that picks the version of an outcome. */
public interface ContractQueries {
    /** Every version by id, each with its periods. */
    List<VersionInSchedule> versions();

    Optional<VersionInSchedule> version(String version);

    /** The schedule as stored now. */
    ContractSchedule schedule();

    /**
     * A version and where and when it applies.
     *
     * @param bootstrapDefault whether it is the version the configuration names, which applies where nothing is activated
     * @param periods          its periods in the schedule, empty when it applies nowhere
     */
    record VersionInSchedule(ContractVersion version, boolean bootstrapDefault, List<ContractPeriod> periods) {
        public VersionInSchedule {
            periods = List.copyOf(periods);
        }
    }
}
