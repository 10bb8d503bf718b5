package io.taskmetering.adapter.rest;

import io.taskmetering.domain.common.PlausibleTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** ISO-8601 timestamps on the wire: read with an explicit zone ({@code Z} or an offset), always written in UTC with Z. */
final class Timestamps {
    private Timestamps() {
    }

    /**
     * Parses {@code text}; text that is no timestamp with a zone is refused with 400, an instant outside
     * {@link PlausibleTime}'s range with 422, each naming {@code field}.
     */
    static Instant parse(String field, String text) {
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            String message = looksZoneless(text)
                    ? "must carry a time zone (Z or an offset), e.g. 2026-02-06T14:00:00Z"
                    : "must be an ISO-8601 timestamp with a zone, e.g. 2026-02-06T14:00:00Z";
            throw ApiException.badRequest(field, message);
        }
        return Requests.validated(() -> PlausibleTime.requireInRange(field, instant));
    }

    private static boolean looksZoneless(String text) {
        try {
            java.time.LocalDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** UTC with Z; null stays null. */
    static String format(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
