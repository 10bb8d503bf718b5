package io.taskmetering.adapter.persistence;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The multi-row statement PostgreSQL receives; what it inserts is covered by the contract suites on both databases. */
class RowInsertsTest {
    @Test
    void repeatsTheValuesGroupAndKeepsTheConflictClause() {
        assertThat(RowInserts.multiRow("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT DO NOTHING", 3))
                .isEqualTo("INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT DO NOTHING");
        assertThat(RowInserts.multiRow("INSERT INTO t (a) VALUES (?)", 1)).isEqualTo("INSERT INTO t (a) VALUES (?)");
    }

    @Test
    void refusesAStatementWithoutAValuesGroup() {
        assertThatThrownBy(() -> RowInserts.multiRow("UPDATE t SET a = ?", 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
