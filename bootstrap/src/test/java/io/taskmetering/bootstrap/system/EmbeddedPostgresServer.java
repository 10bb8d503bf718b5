package io.taskmetering.bootstrap.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server (zonky embedded binaries from Maven Central), started once per test class, with one fresh
 * database per test. {@code fsync} is off for speed: the tests kill the service, never the database server, so
 * durability against power loss is not what they measure. A server started {@link #in} a data directory can be
 * stopped and started again on the same port and data, as an operator restarts a database server.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final Path dataDirectory;
    private EmbeddedPostgres server;

    private EmbeddedPostgresServer(Path dataDirectory, EmbeddedPostgres server) {
        this.dataDirectory = dataDirectory;
        this.server = server;
    }

    /** A server in a temporary data directory, removed when it stops. */
    static EmbeddedPostgresServer start() {
        return new EmbeddedPostgresServer(null, launch(null, 0));
    }

    /** A server whose data stays in {@code dataDirectory} when it stops. */
    static EmbeddedPostgresServer in(Path dataDirectory) {
        return new EmbeddedPostgresServer(dataDirectory, launch(dataDirectory, 0));
    }

    private static EmbeddedPostgres launch(Path dataDirectory, int port) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "100");
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        if (port != 0) {
            builder.setPort(port);
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /** Shuts the server down (fast: open sessions are ended); a server started {@link #in} a directory keeps its data. */
    void stop() {
        close();
    }

    /** Starts the server again on its port and data directory. */
    void restart() {
        if (dataDirectory == null) {
            throw new IllegalStateException("a server in a temporary directory lost its data when it stopped");
        }
        server = launch(dataDirectory, server.getPort());
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
