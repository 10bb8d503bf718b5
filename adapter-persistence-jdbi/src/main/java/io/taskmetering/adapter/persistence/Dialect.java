package io.taskmetering.adapter.persistence;

import java.util.Locale;

/** The two databases the schema runs on. The schema and almost all SQL are shared; differences are named here. */
enum Dialect {
    H2, POSTGRESQL;

    static Dialect fromJdbcUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported JDBC URL (jdbc:h2: or jdbc:postgresql: expected)");
    }
}
