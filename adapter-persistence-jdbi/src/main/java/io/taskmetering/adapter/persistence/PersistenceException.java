package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.StorageException;

import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * A storage failure, translated from the database driver so that no Jdbi or JDBC type crosses a port. The cause is the
 * driver's {@link java.sql.SQLException} (a JDK type) for diagnostics. Callers above the ports see it as a
 * {@link StorageException}: retryable when the database is unreachable (SQLSTATE class 08, a pool timeout) or the
 * failure is transient.
 */
public final class PersistenceException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final boolean transientFailure;

    public PersistenceException(String message, String sqlState, boolean transientFailure, Throwable cause) {
        super(message, transientFailure || unavailable(sqlState, cause), cause);
        this.sqlState = sqlState;
        this.transientFailure = transientFailure;
    }

    private static boolean unavailable(String sqlState, Throwable cause) {
        return sqlState != null && sqlState.startsWith("08")
                || cause instanceof SQLTransientException || cause instanceof SQLRecoverableException;
    }

    /** The SQLSTATE the database reported, or null when there was none. */
    public String sqlState() {
        return sqlState;
    }

    /**
     * A deadlock, serialization failure or lock timeout: the whole transaction may succeed when run again. The unit of
     * work retries such transactions itself a bounded number of times before this reaches a caller.
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
