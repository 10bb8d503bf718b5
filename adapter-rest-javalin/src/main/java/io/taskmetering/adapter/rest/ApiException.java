package io.taskmetering.adapter.rest;

import java.util.List;

/**
 * A request the API refuses, with everything the problem+json body needs. Thrown by handlers and mapped to a
 * response in exactly one place, {@link ErrorMapper}.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final transient List<Problem.FieldError> errors;

    ApiException(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    int status() {
        return status;
    }

    String title() {
        return title;
    }

    String detail() {
        return getMessage();
    }

    List<Problem.FieldError> errors() {
        return errors;
    }

    /** The request could not be read: not JSON, wrong JSON type, unknown or missing field. */
    static ApiException badRequest(String field, String message) {
        return new ApiException(400, "Bad Request", field + ": " + message, List.of(new Problem.FieldError(field, message)));
    }

    /** Well-formed, but a value breaks a rule (blank, too long, negative, out of range). */
    static ApiException unprocessable(String field, String message) {
        return new ApiException(422, "Unprocessable Content", field + ": " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail, List.of());
    }

    static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail, List.of());
    }

    static ApiException forbidden(String field, String message) {
        return new ApiException(403, "Forbidden", field + ": " + message, List.of(new Problem.FieldError(field, message)));
    }

    static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail, List.of());
    }

    static ApiException conflict(String field, String message) {
        return new ApiException(409, "Conflict", field + ": " + message, List.of(new Problem.FieldError(field, message)));
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(413, "Content Too Large", "the request body exceeds " + limit + " bytes",
                List.of(new Problem.FieldError("body", "must be at most " + limit + " bytes")));
    }

    /** Too much at once: the client waits {@code Retry-After} seconds and sends again. */
    static ApiException tooManyRequests(String detail) {
        return new ApiException(429, "Too Many Requests", detail, List.of());
    }

    static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "Unsupported Media Type",
                "Content-Type must be application/json (UTF-8), was " + (contentType == null ? "absent" : "'" + contentType + "'"),
                List.of(new Problem.FieldError("Content-Type", "must be application/json")));
    }
}
