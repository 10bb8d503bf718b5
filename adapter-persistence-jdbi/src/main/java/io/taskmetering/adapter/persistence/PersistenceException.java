package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.StorageException;

import java.sql.SQLTransientException;

/**
 * A storage failure, translated from the database driver so that no Jdbi or JDBC type crosses a port. The cause is the
 * driver's {@link java.sql.SQLException} (a JDK type) for diagnostics. Callers above the ports see it as a
 * {@link StorageException}: retryable when the database is unavailable ({@link #isUnavailable()}) or the failure is
 * transient.
 */
public final class PersistenceException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final boolean transientFailure;
    private final boolean unavailable;

    public PersistenceException(String message, String sqlState, boolean transientFailure, Throwable cause) {
        this(message, sqlState, transientFailure, SqlErrors.unavailable(sqlState, cause), cause);
    }

    private PersistenceException(String message, String sqlState, boolean transientFailure, boolean unavailable,
                                 Throwable cause) {
        super(message, transientFailure || unavailable || cause instanceof SQLTransientException, cause);
        this.sqlState = sqlState;
        this.transientFailure = transientFailure;
        this.unavailable = unavailable;
    }

    /** The SQLSTATE the database reported, or null when there was none. */
    public String sqlState() {
        return sqlState;
    }

    /**
     * The database cannot serve at all (no connection, a server that went away, a disk or file that cannot be
     * written), whatever the statement; every request that needs storage fails the same way until it is back.
     */
    public boolean isUnavailable() {
        return unavailable;
    }

    /**
     * A deadlock, serialization failure or lock timeout: the whole transaction may succeed when run again. The unit of
     * work retries such transactions itself a bounded number of times before this reaches a caller.
     */
    public boolean isTransient() {
        return transientFailure;
    }
}
