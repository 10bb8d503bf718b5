package io.taskmetering.application.port.out;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.InsertResult;

/** Stores contract versions; a version id is taken once, by a unique key, and its row never changes. */
public interface SaveContractVersionsPort {
    /** Inserts the version unless its id exists ({@code INSERT … ON CONFLICT DO NOTHING}); never updates. */
    InsertResult insertVersion(ContractVersion version);
}
