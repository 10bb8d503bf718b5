package io.taskmetering.domain.trace;

/**
 * OTLP's status codes, in the order of their protocol numbers (0 to 2). Instrumentations leave a successful span
 * UNSET; only ERROR says that something failed.
 */
public enum SpanStatus {
    UNSET, OK, ERROR
}
