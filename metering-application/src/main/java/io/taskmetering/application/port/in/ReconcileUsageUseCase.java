package io.taskmetering.application.port.in;

public interface ReconcileUsageUseCase {
    ReconciliationResult reconcile(ReconcileUsageCommand command);
}
