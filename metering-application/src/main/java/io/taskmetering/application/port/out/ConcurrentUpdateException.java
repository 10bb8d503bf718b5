package io.taskmetering.application.port.out;

/** Someone else changed the row since it was read (optimistic version check failed); the caller may retry. */
public final class ConcurrentUpdateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
