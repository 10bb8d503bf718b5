package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.UnitOfWork;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * {@link UnitOfWork} as one Jdbi transaction (READ COMMITTED, the default of both databases). Every port called inside
 * {@code work} on this thread uses the same handle. A nested call joins the outer transaction. A transaction that
 * fails with a deadlock, serialization failure or lock timeout is run again from the start, at most
 * {@value #MAX_ATTEMPTS} times: the use cases' work is a function of the database state (no HTTP inside), so a rerun
 * is safe and the first attempt left nothing behind.
 */
final class JdbiUnitOfWork implements UnitOfWork {
    static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(JdbiUnitOfWork.class);

    private final Db db;

    JdbiUnitOfWork(Db db) {
        this.db = db;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (db.current() != null) {
            return work.get();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return db.jdbi().inTransaction(handle -> {
                    db.bind(handle);
                    try {
                        return work.get();
                    } finally {
                        db.unbind();
                    }
                });
            } catch (JdbiException e) {
                PersistenceException failure = SqlErrors.translate("transaction", e);
                if (!retry(failure, attempt)) {
                    throw failure;
                }
            } catch (PersistenceException e) {
                if (!retry(e, attempt)) {
                    throw e;
                }
            }
        }
    }

    private static boolean retry(PersistenceException failure, int attempt) {
        if (!failure.isTransient() || attempt >= MAX_ATTEMPTS) {
            return false;
        }
        LOG.warn("transaction rolled back, retrying: attempt={} max_attempts={} sql_state={} error={}", attempt,
                MAX_ATTEMPTS, failure.sqlState(), failure.getMessage());
        try {
            Thread.sleep(Math.min(200, 5L << attempt) + (long) (Math.random() * 10));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
