package io.taskmetering.application.port.in;

public interface StopShadowUseCase {
    StopShadowResult stop(ShadowCommand command);
}
