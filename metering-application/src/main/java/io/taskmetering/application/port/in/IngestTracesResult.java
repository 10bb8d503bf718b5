package io.taskmetering.application.port.in;

import java.util.List;

/**
 * What became of an export's spans: how many were kept (a span kept before counts as kept again) and each one refused,
 * with why. Refused spans are never retried by an exporter, so the reason names the attribute to fix.
 */
public record IngestTracesResult(int acceptedSpans, List<SpanRejection> rejected) {
    public IngestTracesResult {
        rejected = List.copyOf(rejected);
    }

    /** One refused span and the reason, naming the attribute. */
    public record SpanRejection(String traceId, String spanId, String reason) {
    }
}
