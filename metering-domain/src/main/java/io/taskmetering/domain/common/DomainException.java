package io.taskmetering.domain.common;

/** Base of every rule the domain refuses; adapters map it to a client error, never to a 500. */
public class DomainException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DomainException(String message) {
        super(message);
    }
}
