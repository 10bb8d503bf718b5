package io.taskmetering.adapter.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** Where a contract test runs: a fresh, empty database per test. */
interface TestDb {
    /** A new empty database and how to drop it. */
    record Fresh(String url, String user, String password, Runnable drop) {
    }

    Fresh fresh();

    String label();

    AtomicInteger COUNTER = new AtomicInteger();

    static TestDb h2() {
        return H2Mem.INSTANCE;
    }

    static TestDb h2File() {
        return H2File.INSTANCE;
    }

    /** H2 file databases, one directory per test, deleted afterwards. */
    enum H2File implements TestDb {
        INSTANCE;

        @Override
        public Fresh fresh() {
            return h2File("contract" + COUNTER.incrementAndGet());
        }

        @Override
        public String label() {
            return "H2 file";
        }
    }

    static TestDb postgres() {
        return SharedPostgres.INSTANCE;
    }

    /** In-memory H2, one named database per test, shut down afterwards. */
    enum H2Mem implements TestDb {
        INSTANCE;

        @Override
        public Fresh fresh() {
            String url = "jdbc:h2:mem:contract" + COUNTER.incrementAndGet();
            return new Fresh(url, "sa", "", () -> execute(PersistenceModule.h2Url(url), "sa", "", "SHUTDOWN"));
        }

        @Override
        public String label() {
            return "H2";
        }
    }

    /** H2 file databases in a temporary directory. */
    static Fresh h2File(String name) {
        try {
            Path dir = Files.createTempDirectory("metering-h2-");
            String url = "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
            return new Fresh(url, "sa", "", () -> deleteTree(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One embedded PostgreSQL 14 per JVM (started on first use, stopped at exit), one database per test. Durability
     * settings are relaxed for test speed only (fsync off); the benchmark starts its own with defaults.
     */
    enum SharedPostgres implements TestDb {
        INSTANCE;

        private EmbeddedPostgres server;

        synchronized EmbeddedPostgres server() {
            if (server == null) {
                try {
                    server = EmbeddedPostgres.builder()
                            .setServerConfig("fsync", "off")
                            .setServerConfig("synchronous_commit", "off")
                            .setServerConfig("full_page_writes", "off")
                            .setServerConfig("max_connections", "200")
                            .start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
                }
                EmbeddedPostgres started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting; the temporary cluster directory is removed by the library
                    }
                }));
            }
            return server;
        }

        @Override
        public Fresh fresh() {
            EmbeddedPostgres pg = server();
            String name = "contract" + COUNTER.incrementAndGet();
            String admin = pg.getJdbcUrl("postgres", "postgres");
            execute(admin, "postgres", "", "CREATE DATABASE " + name);
            return new Fresh(pg.getJdbcUrl("postgres", name), "postgres", "",
                    () -> execute(admin, "postgres", "", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
        }

        @Override
        public String label() {
            return "PostgreSQL";
        }
    }

    static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + url, e);
        }
    }

    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
