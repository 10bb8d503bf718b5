package io.taskmetering.adapter.persistence;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Clock;

/** A contract test on a fresh database: one {@link PersistenceModule} per test, subclasses pick the database. */
abstract class ModuleTestBase {
    protected TestDb.Fresh database;
    protected PersistenceModule module;

    protected abstract TestDb db();

    protected Clock clock() {
        return Fixtures.clockAt(Fixtures.T0.plusSeconds(60));
    }

    protected int poolSize() {
        return 4;
    }

    @BeforeEach
    void startModule() {
        database = db().fresh();
        module = PersistenceModule.start(database.url(), database.user(), database.password(), poolSize(), clock());
    }

    @AfterEach
    void stopModule() {
        if (module != null) {
            module.close();
        }
        if (database != null) {
            database.drop().run();
        }
    }

    protected Jdbi jdbi() {
        return module.jdbi();
    }

    protected long count(String sql) {
        return jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
