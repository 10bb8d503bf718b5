package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.UnitOfWork;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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

    /** How long a unit of work waits for its turn on H2 before it fails as retryable (as long as H2's LOCK_TIMEOUT). */
    static final long WRITER_WAIT_MILLIS = 10_000;

    private final Db db;
    private final long writerWaitMillis;
    /**
     * On H2, units of work take turns (fair, first come first served). H2's MVStore lets concurrent writers of the
     * same tables retry copy-on-write updates and wait on each other's row locks; measured with the bench, two
     * concurrent ingest threads recorded 11,000 outcomes/s and four 7,900/s, one alone 13,700/s. PostgreSQL runs
     * units of work concurrently.
     */
    private final ReentrantLock h2Writer;

    JdbiUnitOfWork(Db db) {
        this(db, WRITER_WAIT_MILLIS);
    }

    JdbiUnitOfWork(Db db, long writerWaitMillis) {
        this.db = db;
        this.writerWaitMillis = writerWaitMillis;
        this.h2Writer = db.dialect() == Dialect.H2 ? new ReentrantLock(true) : null;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (db.current() != null) {
            return work.get();
        }
        if (h2Writer == null) {
            return run(work);
        }
        try {
            if (!h2Writer.tryLock(writerWaitMillis, TimeUnit.MILLISECONDS)) {
                throw new PersistenceException("transaction waited " + writerWaitMillis
                        + " ms for its turn to write; the database is busy", null, true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PersistenceException("interrupted while waiting for the turn to write", null, true, e);
        }
        try {
            return run(work);
        } finally {
            h2Writer.unlock();
        }
    }

    private <T> T run(Supplier<T> work) {
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
                PersistenceException failure = db.translate("transaction", e);
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
