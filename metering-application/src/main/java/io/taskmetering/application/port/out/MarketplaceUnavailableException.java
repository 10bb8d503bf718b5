package io.taskmetering.application.port.out;

/** The Marketplace could not answer a read (after the adapter's own retries). */
public class MarketplaceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MarketplaceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
