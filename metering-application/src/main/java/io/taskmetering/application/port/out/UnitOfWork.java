package io.taskmetering.application.port.out;

import java.util.function.Supplier;

/**
 * The transaction boundary, owned by the use case. Every storage port used inside {@code work} shares one
 * transaction; it commits when {@code work} returns and rolls back when it throws. Never call the Marketplace inside.
 */
public interface UnitOfWork {
    <T> T inTransaction(Supplier<T> work);

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
