package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.evaluation.ContractConfig;

/** Create a contract version: its id and settings (validated by {@link ContractConfig}). */
public record CreateContractVersionCommand(ContractConfig settings) {
    public CreateContractVersionCommand {
        Require.present("version", settings);
    }
}
