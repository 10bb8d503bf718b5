package io.taskmetering.domain.trace;

/** OTLP's span kinds, in the order of their protocol numbers (0 to 5). */
public enum SpanKind {
    UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER
}
