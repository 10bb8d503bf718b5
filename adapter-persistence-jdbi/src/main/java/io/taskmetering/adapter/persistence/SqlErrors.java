package io.taskmetering.adapter.persistence;

import org.jdbi.v3.core.JdbiException;

import java.sql.SQLException;
import java.util.Set;

/** Turns driver and Jdbi failures into {@link PersistenceException}s; nothing is swallowed. */
final class SqlErrors {
    /** serialization_failure (also H2's deadlock), deadlock_detected, H2 lock timeout, PostgreSQL lock_not_available. */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "HYT00", "55P03");
    static final String UNIQUE_VIOLATION = "23505";

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
