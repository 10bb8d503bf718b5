package io.taskmetering.application.model;

import io.taskmetering.domain.common.CorrelationId;

import java.util.Objects;

/** What inserting one charge did, decided by the unique charge key (never by a read first). */
public sealed interface ChargeInsert {
    /** The correlation id of the charge now stored under the key: the inserted one's, or the existing one's. */
    CorrelationId keyHolder(CorrelationId inserted);

    /** The charge was written; it holds its key. */
    enum Inserted implements ChargeInsert {
        INSTANCE;

        @Override
        public CorrelationId keyHolder(CorrelationId inserted) {
            return inserted;
        }
    }

    /** The key was held already, by the charge of {@code existing}; nothing was written. */
    record DuplicateOf(CorrelationId existing) implements ChargeInsert {
        public DuplicateOf {
            Objects.requireNonNull(existing, "existing");
        }

        @Override
        public CorrelationId keyHolder(CorrelationId inserted) {
            return existing;
        }
    }
}
