package io.taskmetering.application.port.in;

import io.taskmetering.application.model.ContractVersion;

/** What creating a contract version did. Versions are immutable: an id keeps the settings it was created with. */
public sealed interface CreateContractVersionResult {
    record Created(ContractVersion version) implements CreateContractVersionResult {
    }

    /** The id existed with exactly these settings: nothing changed. */
    record AlreadyExists(ContractVersion version) implements CreateContractVersionResult {
    }

    /** The id exists with other settings; {@code existing} is what it keeps. */
    record SettingsConflict(ContractVersion existing) implements CreateContractVersionResult {
    }
}
