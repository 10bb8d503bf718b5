package io.taskmetering.adapter.persistence;

import org.jdbi.v3.core.JdbiException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Turns driver and Jdbi failures into {@link PersistenceException}s; nothing is swallowed. */
final class SqlErrors {
    /** serialization_failure (also H2's deadlock), deadlock_detected, H2 lock timeout, PostgreSQL lock_not_available. */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "HYT00", "55P03");
    static final String UNIQUE_VIOLATION = "23505";
    /**
     * The database cannot serve at all, whatever the statement: PostgreSQL shut down or crashed (admin_shutdown,
     * crash_shutdown, cannot_connect_now), out of disk or memory (disk_full, out_of_memory); H2 closed the database
     * (database is closed, called at shutdown) or could not read or write its file (IO exception).
     */
    private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53100", "53200",
            "90098", "90121", "90028", "90031");
    /** H2's storage engine failing under a statement (a write that hit a full disk): H2 then closes the database. */
    private static final String H2_STORE_FAILURE = "org.h2.mvstore.MVStoreException";

    private SqlErrors() {
    }

    static PersistenceException translate(String operation, RuntimeException e) {
        if (e instanceof PersistenceException pe) {
            return pe;
        }
        SQLException sql = sqlCause(e);
        String state = sql == null ? null : sql.getSQLState();
        String detail = sql == null ? e.getMessage() : sql.getMessage();
        return new PersistenceException(operation + " failed" + (state == null ? "" : " [" + state + "]") + ": " + detail,
                state, state != null && TRANSIENT.contains(state), sql != null ? sql : e);
    }

    /**
     * Whether {@code failure} says the database is unavailable rather than that this statement is wrong: no
     * connection (SQLSTATE class 08, a pool timeout), a server that shut down, a disk or file that cannot be written.
     * Constraint violations and programming errors are not.
     */
    static boolean unavailable(String sqlState, Throwable failure) {
        if (sqlState != null && (sqlState.startsWith("08") || UNAVAILABLE.contains(sqlState))) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
                    || t.getClass().getName().equals(H2_STORE_FAILURE)) {
                return true;
            }
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null && unavailable(sql.getSQLState(), null)) {
                    return true;
                }
                // A batch reports the failure of its row as the next exception, which carries the cause.
                SQLException next = sql.getNextException();
                if (next != null && next != sql && unavailable(next.getSQLState(), next)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isUniqueViolation(JdbiException e) {
        SQLException sql = sqlCause(e);
        for (SQLException s = sql; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The most specific SQLException in the cause chain (a batch's next exception names the failing row). */
    static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                SQLException next = sql.getNextException();
                return next != null && next.getSQLState() != null && sql.getSQLState() == null ? next : sql;
            }
        }
        return null;
    }
}
