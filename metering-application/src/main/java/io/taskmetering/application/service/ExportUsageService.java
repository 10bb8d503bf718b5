package io.taskmetering.application.service;

import io.taskmetering.application.port.in.ExportUsageQuery;
import io.taskmetering.application.port.in.ExportUsageUseCase;
import io.taskmetering.application.port.out.UsageRecordPort;

/** Streams usage records to the caller's sink; memory stays constant whatever the number of records. */
public final class ExportUsageService implements ExportUsageUseCase {
    private final UsageRecordPort usageRecords;

    public ExportUsageService(UsageRecordPort usageRecords) {
        this.usageRecords = usageRecords;
    }

    @Override
    public void export(ExportUsageQuery query) {
        usageRecords.streamUsageRecords(query.query(), query.sink());
    }
}
