package io.taskmetering.domain.archfixture;

import java.sql.Connection;

/** Deliberate violation, compiled only in tests: a domain class reaching for JDBC. The rules must reject it. */
public final class DomainClassUsingSql {
    private final Connection connection;

    public DomainClassUsingSql(Connection connection) {
        this.connection = connection;
    }

    public boolean isOpen() throws java.sql.SQLException {
        return !connection.isClosed();
    }
}
