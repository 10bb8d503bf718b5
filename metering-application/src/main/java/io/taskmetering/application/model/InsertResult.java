package io.taskmetering.application.model;

/** Whether an insert-if-absent wrote a row or met an existing one (decided by a unique constraint, not a read). */
public enum InsertResult {
    INSERTED, ALREADY_PRESENT
}
