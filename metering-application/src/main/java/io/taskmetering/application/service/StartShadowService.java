package io.taskmetering.application.service;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.application.port.in.ShadowCommand;
import io.taskmetering.application.port.in.StartShadowResult;
import io.taskmetering.application.port.in.StartShadowUseCase;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.LoadShadowsPort;
import io.taskmetering.application.port.out.SaveShadowsPort;

import java.time.Clock;

/**
 * Starts running a version in shadow for a scope. The run's key (version, scope) decides between two racing starts;
 * the start sent again answers the run already stored.
 */
public final class StartShadowService implements StartShadowUseCase {
    private final LoadContractsPort contracts;
    private final SaveShadowsPort saveShadows;
    private final LoadShadowsPort loadShadows;
    private final Clock clock;

    public StartShadowService(LoadContractsPort contracts, SaveShadowsPort saveShadows, LoadShadowsPort loadShadows,
                              Clock clock) {
        this.contracts = contracts;
        this.saveShadows = saveShadows;
        this.loadShadows = loadShadows;
        this.clock = clock;
    }

    @Override
    public StartShadowResult start(ShadowCommand command) {
        if (contracts.findVersion(command.version()).isEmpty()) {
            return new StartShadowResult.UnknownVersion(command.version());
        }
        ShadowRun run = new ShadowRun(command.version(), command.scope(), clock.instant());
        if (saveShadows.startShadow(run) == InsertResult.INSERTED) {
            return new StartShadowResult.Started(run);
        }
        return loadShadows.findShadowRuns().stream()
                .filter(r -> r.version().equals(run.version()) && r.scope().equals(run.scope()))
                .findFirst()
                .<StartShadowResult>map(StartShadowResult.AlreadyRunning::new)
                .orElseThrow(() -> new IllegalStateException("shadow run neither inserted nor found"));
    }
}
