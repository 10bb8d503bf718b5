package io.taskmetering.application.port.out;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.ShadowDecision;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.domain.contract.ContractScope;

import java.util.List;

/** Starts and stops shadow runs and keeps the decisions made under them (apart from every charge). */
public interface SaveShadowsPort {
    /** Inserts the run unless its version already runs in shadow for the scope; never updates. */
    InsertResult startShadow(ShadowRun run);

    /** Removes the run of {@code version} for {@code scope}; false when there was none. */
    boolean stopShadow(String version, ContractScope scope);

    /** Inserts each shadow decision unless one of its version and correlation id is stored already. */
    void insertShadowDecisions(List<ShadowDecision> decisions);
}
