package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.StoragePorts;
import io.taskmetering.application.testing.InMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;
import java.util.OptionalLong;

/**
 * A contract of the storage ports on a fresh store per test. Subclasses pick the store: H2 or PostgreSQL through the
 * persistence module, or the application's in-memory test store, so the fake the service tests run on is held to the
 * same contract as the real adapter. Checks of a row count go through {@link #rows}; checks that only SQL can express
 * run where there is SQL ({@link Store#sqlCount}).
 */
abstract class StoreContract {
    protected Store store;
    protected StoragePorts ports;

    /** A store under contract, and what a test may ask of it besides the ports. */
    interface Store extends AutoCloseable {
        StoragePorts ports();

        /** The rows of a table (the in-memory store counts what the table would hold). */
        long rows(String table);

        /** The answer to a {@code SELECT COUNT(…)}, where the store has SQL. */
        OptionalLong sqlCount(String sql);

        @Override
        void close();
    }

    protected abstract Store open(Clock clock);

    @BeforeEach
    void openStore() {
        store = open(Fixtures.clockAt(Fixtures.T0.plusSeconds(60)));
        ports = store.ports();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected long rows(String table) {
        return store.rows(table);
    }

    /** A fresh database of {@code db} behind the persistence module. */
    static Store database(TestDb db, Clock clock) {
        TestDb.Fresh database = db.fresh();
        PersistenceModule module = PersistenceModule.start(database.url(), database.user(), database.password(), 4, clock);
        return new Store() {
            @Override
            public StoragePorts ports() {
                return module.ports();
            }

            @Override
            public long rows(String table) {
                return sqlCount("SELECT COUNT(*) FROM " + table).orElseThrow();
            }

            @Override
            public OptionalLong sqlCount(String sql) {
                return OptionalLong.of(module.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one()));
            }

            @Override
            public void close() {
                module.close();
                database.drop().run();
            }
        };
    }

    /** The application's in-memory test store. */
    static Store inMemory() {
        InMemoryStore memory = new InMemoryStore();
        StoragePorts ports = new StoragePorts(memory, memory, memory, memory, memory, memory, memory, memory, memory,
                memory, memory, memory, memory, memory, memory, memory, memory, memory, memory, memory, memory, memory,
                memory, memory, memory, memory, memory);
        return new Store() {
            @Override
            public StoragePorts ports() {
                return ports;
            }

            @Override
            public long rows(String table) {
                return switch (table) {
                    case "decisions" -> memory.decisions().size();
                    case "charges" -> memory.charges().size();
                    case "ledger_entries" -> memory.ledger().size();
                    case "hour_buckets" -> memory.buckets().size();
                    case "usage_events" -> memory.outbox().size();
                    case "usage_records" -> memory.usageRecords().size();
                    default -> throw new IllegalArgumentException("the in-memory store has no table " + table);
                };
            }

            @Override
            public OptionalLong sqlCount(String sql) {
                return OptionalLong.empty();
            }

            @Override
            public void close() {
                // nothing to release
            }
        };
    }
}
