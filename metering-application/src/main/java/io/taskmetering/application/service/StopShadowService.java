package io.taskmetering.application.service;

import io.taskmetering.application.port.in.ShadowCommand;
import io.taskmetering.application.port.in.StopShadowResult;
import io.taskmetering.application.port.in.StopShadowUseCase;
import io.taskmetering.application.port.out.SaveShadowsPort;

/** Stops a shadow run; the decisions it made stay for the report. */
public final class StopShadowService implements StopShadowUseCase {
    private final SaveShadowsPort saveShadows;

    public StopShadowService(SaveShadowsPort saveShadows) {
        this.saveShadows = saveShadows;
    }

    @Override
    public StopShadowResult stop(ShadowCommand command) {
        return saveShadows.stopShadow(command.version(), command.scope())
                ? new StopShadowResult.Stopped(command.version(), command.scope())
                : new StopShadowResult.NotRunning(command.version(), command.scope());
    }
}
