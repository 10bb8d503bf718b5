package io.taskmetering.application.model;

import java.time.Instant;

/**
 * One HTTP attempt for one usage event, stored for audit: ids sent, what came back.
 *
 * @param httpStatus null when no response arrived (connection reset, timeout)
 * @param outcome    short classification, e.g. {@code accepted}, {@code http_503}, {@code io_timeout}
 */
public record SubmissionAttempt(int number, String requestId, String correlationId, Instant at, Integer httpStatus,
                                String outcome, String detail) {
}
