package io.taskmetering.application.service;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.port.in.ContractQueries;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.domain.contract.ContractSchedule;

import java.util.List;
import java.util.Optional;

/** Contract versions and the schedule, read straight from storage. */
public final class ContractQueryService implements ContractQueries {
    private final LoadContractsPort contracts;
    private final String bootstrapVersion;

    public ContractQueryService(LoadContractsPort contracts, BillingPolicy policy) {
        this.contracts = contracts;
        this.bootstrapVersion = policy.contract().version();
    }

    @Override
    public List<VersionInSchedule> versions() {
        ContractSchedule schedule = schedule();
        return contracts.findVersions().stream().map(v -> inSchedule(v, schedule)).toList();
    }

    @Override
    public Optional<VersionInSchedule> version(String version) {
        return contracts.findVersion(version).map(v -> inSchedule(v, schedule()));
    }

    @Override
    public ContractSchedule schedule() {
        return ContractBook.schedule(contracts, bootstrapVersion);
    }

    private VersionInSchedule inSchedule(ContractVersion version, ContractSchedule schedule) {
        return new VersionInSchedule(version, version.version().equals(bootstrapVersion),
                schedule.periodsOf(version.version()));
    }
}
