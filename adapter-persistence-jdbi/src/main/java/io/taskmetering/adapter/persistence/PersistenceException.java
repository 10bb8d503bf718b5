package io.taskmetering.adapter.persistence;

/**
 * A storage failure, translated from the database driver so that no Jdbi or JDBC type crosses a port. The cause is the
 * driver's {@link java.sql.SQLException} (a JDK type) for diagnostics.
 */
public final class PersistenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final boolean transientFailure;

    public PersistenceException(String message, String sqlState, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.transientFailure = transientFailure;
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
