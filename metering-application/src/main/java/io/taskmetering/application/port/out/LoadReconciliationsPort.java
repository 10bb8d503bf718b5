package io.taskmetering.application.port.out;

import io.taskmetering.application.model.Reconciliation;

import java.time.LocalDate;
import java.util.Optional;

/** Reads reconciliation runs back. */
public interface LoadReconciliationsPort {
    /** The run of {@code day} that ran last (ties broken by run id), with its differences. */
    Optional<Reconciliation> findLatestReconciliation(LocalDate day);
}
