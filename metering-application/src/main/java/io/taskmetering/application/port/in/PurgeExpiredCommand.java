package io.taskmetering.application.port.in;

/** Delete what has outlived the retention TTL, as of the service clock. */
public record PurgeExpiredCommand() {
}
