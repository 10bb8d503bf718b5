package io.taskmetering.domain.common;

/** A value that breaks a validation rule; {@link #field()} names the offending field as the API spells it. */
public final class InvalidValueException extends DomainException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String reason;

    public InvalidValueException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
        this.reason = message;
    }

    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String reason() {
        return reason;
    }
}
