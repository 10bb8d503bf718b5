package io.taskmetering.adapter.rest;

import java.util.List;

/**
 * The one error body of the native API (RFC 9457 problem details, {@code application/problem+json}). {@code errors}
 * names every offending field; it is empty when no single field is at fault.
 */
record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    static final String CONTENT_TYPE = "application/problem+json";

    Problem {
        errors = List.copyOf(errors);
    }

    static Problem of(int status, String title, String detail, List<FieldError> errors) {
        return new Problem(typeFor(status), title, status, detail, errors);
    }

    /** A stable, documented type URI per status (docs/api.md explains each). */
    static String typeFor(int status) {
        return "https://taskmetering.io/problems/" + switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 409 -> "conflict";
            case 413 -> "content-too-large";
            case 414 -> "uri-too-long";
            case 431 -> "request-header-fields-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "unprocessable-content";
            case 429 -> "too-many-requests";
            case 503 -> "unavailable";
            default -> "internal-error";
        };
    }

    /** One offending field, named as the API spells it (dotted path, list indexes in brackets). */
    record FieldError(String field, String message) {
    }
}
