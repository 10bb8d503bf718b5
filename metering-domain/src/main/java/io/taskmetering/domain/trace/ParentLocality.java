package io.taskmetering.domain.trace;

/**
 * Whether a span's parent lives in the same process (and so will be exported by the same SDK) or in a remote one
 * (and so may never arrive here); UNKNOWN when the exporter did not say (OTLP span flags bits 8 and 9).
 */
public enum ParentLocality {
    UNKNOWN, LOCAL, REMOTE
}
