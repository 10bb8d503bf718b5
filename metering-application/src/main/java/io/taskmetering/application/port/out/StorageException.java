package io.taskmetering.application.port.out;

/**
 * Storage could not complete an operation; the transaction it belonged to was rolled back, so nothing of it was
 * written. {@link #retryable()} says whether the same request may succeed later (the database is unreachable, busy or
 * lost a race) rather than failing the same way again.
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public StorageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
