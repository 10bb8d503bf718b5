package io.taskmetering.bootstrap.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server (zonky embedded binaries from Maven Central), started once per test class, with one fresh
 * database per test. {@code fsync} is off for speed: the tests kill the service, never the database server, so
 * durability against power loss is not what they measure.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final EmbeddedPostgres server;

    private EmbeddedPostgresServer(EmbeddedPostgres server) {
        this.server = server;
    }

    static EmbeddedPostgresServer start() {
        try {
            return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "100")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /** A new, empty database; the service migrates it on start. */
    SystemTests.Database newDatabase(String prefix) {
        String name = prefix + COUNTER.incrementAndGet();
        String admin = server.getJdbcUrl("postgres", "postgres");
        try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new SystemTests.Database(server.getJdbcUrl("postgres", name), "postgres", "");
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
