package io.taskmetering.adapter.marketplace;

/** No access token could be obtained. Carries no secret: the message is safe to log. */
public final class TokenUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean transientFailure;
    private final Integer httpStatus;

    public TokenUnavailableException(String message, boolean transientFailure, Integer httpStatus, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.httpStatus = httpStatus;
    }

    /** True for timeouts, I/O errors, 408, 429 and 5xx of the token endpoint: worth trying again. */
    public boolean transientFailure() {
        return transientFailure;
    }

    /** The token endpoint's HTTP status, or null when no answer arrived. */
    public Integer httpStatus() {
        return httpStatus;
    }
}
