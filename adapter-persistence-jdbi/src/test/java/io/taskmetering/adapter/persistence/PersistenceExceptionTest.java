package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.StorageException;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
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
    void aDatabaseThatCannotServeIsUnavailable() {
        for (String state : new String[] {"08006", "57P01", "57P03", "53100", "90098", "90121"}) {
            PersistenceException failure = SqlErrors.translate("x", new RuntimeException(new SQLException("down", state)));
            assertThat(failure.isUnavailable()).as(state).isTrue();
            assertThat(failure.retryable()).as(state).isTrue();
        }
        SQLException pool = new SQLTransientConnectionException("Connection is not available, request timed out");
        assertThat(SqlErrors.translate("x", new RuntimeException(pool)).isUnavailable()).isTrue();
    }

    @Test
    void aWriteThatH2CouldNotStoreIsUnavailableAlsoInsideABatch() {
        SQLException generalError = new SQLException("General error", "HY000", 50000,
                new org.h2.mvstore.MVStoreException(0, "Writing to file failed"));
        assertThat(SqlErrors.translate("x", new RuntimeException(generalError)).isUnavailable()).isTrue();
        BatchUpdateException batch = new BatchUpdateException("General error", "HY000", 50000, new int[0]);
        batch.setNextException(generalError);
        assertThat(SqlErrors.translate("x", new RuntimeException(batch)).isUnavailable()).isTrue();
        SQLException otherGeneralError = new SQLException("General error", "HY000", 50000, new IllegalStateException());
        assertThat(SqlErrors.translate("x", new RuntimeException(otherGeneralError)).isUnavailable()).isFalse();
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
        assertThat(unique.isUnavailable()).isFalse();
        assertThat(new PersistenceException("x", "42601", false, new SQLException("syntax", "42601")).retryable()).isFalse();
        assertThat(new PersistenceException("x", "23502", false, new SQLException("not null", "23502")).isUnavailable())
                .isFalse();
    }
}
