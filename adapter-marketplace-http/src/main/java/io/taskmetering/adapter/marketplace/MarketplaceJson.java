package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading what the Metering API answers: lenient where the service is loose, exact with numbers. Its mapper also writes
 * the events sent ({@link MarketplacePayloads}).
 */
final class MarketplaceJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final int MAX_DETAIL = 500;

    private MarketplaceJson() {
    }

    /** The parsed body, or null when it is not JSON. */
    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    static JsonNode path(JsonNode node, String... fields) {
        JsonNode current = node;
        for (String field : fields) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(field);
        }
        return current == null || current.isNull() ? null : current;
    }

    /** An exact decimal from a JSON number or a numeric string; null otherwise. */
    static BigDecimal decimal(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The value as a long when it is a whole number that fits; null otherwise (e.g. 2.5). */
    static Long wholeNumber(BigDecimal value) {
        if (value == null) {
            return null;
        }
        try {
            return value.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * An ISO-8601 timestamp; one without an offset is UTC (the Metering API sometimes omits it); a bare date is its
     * start. Null if unreadable.
     */
    static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(value.trim(), OffsetDateTime::from,
                    LocalDateTime::from);
            return parsed instanceof OffsetDateTime odt ? odt.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(value.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** {@code Retry-After}: delta-seconds or an HTTP-date; null when absent or unreadable; never negative. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.matches("[0-9]{1,10}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The error body's targets ({@code target} and {@code details[].target}), lower case. */
    static List<String> targets(JsonNode error) {
        List<String> targets = new ArrayList<>();
        String top = text(error, "target");
        if (top != null) {
            targets.add(top.toLowerCase(Locale.ROOT));
        }
        JsonNode details = error == null ? null : error.get("details");
        if (details != null && details.isArray()) {
            for (JsonNode detail : details) {
                String target = text(detail, "target");
                if (target != null) {
                    targets.add(target.toLowerCase(Locale.ROOT));
                }
            }
        }
        return targets;
    }

    /** The most specific error code: the first detail's, else the top-level one. */
    static String errorCode(JsonNode error) {
        JsonNode details = error == null ? null : error.get("details");
        if (details != null && details.isArray()) {
            for (JsonNode detail : details) {
                String code = text(detail, "code");
                if (code != null) {
                    return code;
                }
            }
        }
        return text(error, "code");
    }

    /** {@code message} plus each detail as {@code target: message}, shortened for storage. */
    static String errorMessage(JsonNode error, String fallbackBody) {
        if (error == null || !error.isObject()) {
            return shorten(fallbackBody);
        }
        StringBuilder out = new StringBuilder();
        String message = text(error, "message");
        if (message != null) {
            out.append(message);
        }
        JsonNode details = error.get("details");
        if (details != null && details.isArray()) {
            for (JsonNode detail : details) {
                String target = text(detail, "target");
                String detailMessage = text(detail, "message");
                if (target == null && detailMessage == null) {
                    continue;
                }
                out.append(out.length() == 0 ? "" : "; ").append(target == null ? "" : target + ": ")
                        .append(detailMessage == null ? "" : detailMessage);
            }
        }
        return out.length() == 0 ? shorten(fallbackBody) : shorten(out.toString());
    }

    static String shorten(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "…";
    }
}
