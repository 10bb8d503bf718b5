package io.taskmetering.application.port.out;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.domain.contract.ContractScope;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads contract versions and the activations that make up the schedule. */
public interface LoadContractsPort {
    Optional<ContractVersion> findVersion(String version);

    /** Every version, by id. */
    List<ContractVersion> findVersions();

    /** Every activation of every scope (the whole schedule; activations are few and never deleted). */
    List<StoredActivation> findActivations();

    /** The activation of {@code scope} at exactly {@code effectiveFrom}, if any. */
    Optional<StoredActivation> findActivation(ContractScope scope, Instant effectiveFrom);
}
