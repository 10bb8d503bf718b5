package io.taskmetering.application.port.in;

public interface ExportUsageUseCase {
    void export(ExportUsageQuery query);
}
