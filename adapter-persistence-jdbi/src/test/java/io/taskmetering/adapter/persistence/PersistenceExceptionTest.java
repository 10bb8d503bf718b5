package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.StorageException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Above the ports a storage failure is a StorageException, retryable exactly when trying again can help. */
class PersistenceExceptionTest {
    @Test
    void aLostConnectionOrAPoolTimeoutIsRetryable() {
        assertThat(new PersistenceException("x", "08001", false, new SQLException("refused", "08001")).retryable()).isTrue();
        assertThat(new PersistenceException("x", null, false, new SQLTransientConnectionException("pool timeout")).retryable())
                .isTrue();
    }

    @Test
    void aTransientConflictIsRetryable() {
        assertThat(new PersistenceException("x", "40001", true, new SQLException("serialization", "40001")).retryable())
                .isTrue();
    }

    @Test
    void aConstraintOrSyntaxErrorIsNot() {
        PersistenceException unique = new PersistenceException("x", "23505", false, new SQLException("dup", "23505"));
        assertThat(unique).isInstanceOf(StorageException.class);
        assertThat(unique.retryable()).isFalse();
        assertThat(new PersistenceException("x", "42601", false, new SQLException("syntax", "42601")).retryable()).isFalse();
    }
}
