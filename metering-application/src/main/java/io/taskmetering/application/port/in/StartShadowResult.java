package io.taskmetering.application.port.in;

import io.taskmetering.application.model.ShadowRun;

/** What starting a shadow run did. */
public sealed interface StartShadowResult {
    record Started(ShadowRun run) implements StartShadowResult {
    }

    /** The version already runs in shadow for this scope: nothing changed. */
    record AlreadyRunning(ShadowRun run) implements StartShadowResult {
    }

    /** No version has this id. */
    record UnknownVersion(String version) implements StartShadowResult {
    }
}
