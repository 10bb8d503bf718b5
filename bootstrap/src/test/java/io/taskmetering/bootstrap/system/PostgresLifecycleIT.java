package io.taskmetering.bootstrap.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link LifecycleScenario} on a real PostgreSQL (embedded, started once for this class). */
class PostgresLifecycleIT extends LifecycleScenario {
    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    SystemTests.Database database(String name) {
        return postgres.newDatabase(name);
    }
}
