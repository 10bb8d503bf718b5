package io.taskmetering.application.port.in;

public interface StartShadowUseCase {
    StartShadowResult start(ShadowCommand command);
}
