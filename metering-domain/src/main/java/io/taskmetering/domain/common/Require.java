package io.taskmetering.domain.common;

import java.time.Instant;

/** Validation helpers for compact constructors; every failure names its field. */
public final class Require {
    /** Longest identifier accepted anywhere (ids are keys, not payloads). */
    public static final int MAX_ID_LENGTH = 256;

    private Require() {
    }

    /** A non-blank identifier of at most {@link #MAX_ID_LENGTH} characters with no control characters. */
    public static String id(String field, String value) {
        return text(field, value, MAX_ID_LENGTH);
    }

    public static String text(String field, String value, int maxLength) {
        if (value == null) {
            throw new InvalidValueException(field, "is required");
        }
        if (value.isBlank()) {
            throw new InvalidValueException(field, "must not be blank");
        }
        if (value.length() > maxLength) {
            throw new InvalidValueException(field, "must be at most " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidValueException(field, "must not contain control characters");
            }
        }
        return value;
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidValueException(field, "is required");
        }
        return value;
    }

    public static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidValueException(field, "must not be negative");
        }
        return value;
    }

    public static Instant instant(String field, Instant value) {
        return present(field, value);
    }
}
