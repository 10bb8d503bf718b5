package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.domain.common.DomainException;
import io.taskmetering.domain.common.InvalidValueException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Jdbi instance and the handle of the transaction this thread is in, if any. Every port runs its SQL through
 * {@link #call}: inside a {@link JdbiUnitOfWork} on that transaction's handle, outside one in a short transaction of
 * its own. Exceptions leave as port-level ones, each also reported to {@code onFailure} (which tracks whether the
 * database is available).
 */
final class Db {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Consumer<PersistenceException> onFailure;
    private final ThreadLocal<Handle> current = new ThreadLocal<>();

    Db(Jdbi jdbi, Dialect dialect, Consumer<PersistenceException> onFailure) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.onFailure = onFailure;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    Dialect dialect() {
        return dialect;
    }

    Handle current() {
        return current.get();
    }

    void bind(Handle handle) {
        current.set(handle);
    }

    void unbind() {
        current.remove();
    }

    /** Runs {@code work} on the current transaction's handle, or in a new short transaction. */
    <T> T call(String operation, Function<Handle, T> work) {
        Handle handle = current.get();
        try {
            if (handle != null) {
                return work.apply(handle);
            }
            return jdbi.inTransaction(h -> work.apply(h));
        } catch (ConcurrentUpdateException | PersistenceException | DomainException e) {
            throw e;
        } catch (JdbiException e) {
            throw translate(operation, e);
        }
    }

    /** The port-level form of a driver or Jdbi failure, reported to {@code onFailure}. */
    PersistenceException translate(String operation, RuntimeException e) {
        PersistenceException failure = SqlErrors.translate(operation, e);
        onFailure.accept(failure);
        return failure;
    }

    void run(String operation, java.util.function.Consumer<Handle> work) {
        call(operation, h -> {
            work.accept(h);
            return null;
        });
    }

    static InvalidValueException badCursor() {
        return new InvalidValueException("cursor", "is not a cursor this listing returned");
    }
}
