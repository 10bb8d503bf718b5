package io.taskmetering.application.port.in;

/**
 * Keeps the spans an OpenTelemetry exporter sent, so that each agent task among them is decided once its agent span
 * has settled ({@link SettleTracesUseCase}). A span sent again changes nothing.
 */
public interface IngestTracesUseCase {
    IngestTracesResult ingest(IngestTracesCommand command);
}
