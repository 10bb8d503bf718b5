package io.taskmetering.adapter.rest;

import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query string of a native route, read strictly from the raw query string: a parameter the route does not know,
 * given twice, or whose name or value is not valid percent-encoded UTF-8 (or holds a control character) is a 400
 * naming it, so neither a typo such as {@code ?subscription=} nor a broken escape such as {@code ?state=BOGUS%zz}
 * ever silently widens a listing. (Javalin's own parsing of such a query drops the parameter.)
 */
final class QueryParams {
    private final Map<String, List<String>> params;
    private final int maxLength;

    private QueryParams(Map<String, List<String>> params, int maxLength) {
        this.params = params;
        this.maxLength = maxLength;
    }

    static QueryParams of(Context ctx, Set<String> allowed, int maxLength) {
        Map<String, List<String>> params = parse(ctx.queryString());
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            String name = entry.getKey();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(JsonFields.safeName(name), "is not a known query parameter; known: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
            if (entry.getValue().size() > 1) {
                throw ApiException.badRequest(name, "must be given at most once");
            }
        }
        return new QueryParams(params, maxLength);
    }

    /** {@code a=1&b=&c} as names to values in order; empty segments ({@code a=1&&b=2}) are skipped. */
    static Map<String, List<String>> parse(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = decode(rawName, JsonFields.safeName(rawName));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), JsonFields.safeName(name));
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** Form decoding ({@code +} is a space) that refuses what {@code URLDecoder} would guess at or replace. */
    private static String decode(String raw, String field) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw ApiException.badRequest(field, "is not valid percent-encoding ('%' must be followed by"
                            + " two hex digits)");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                int codePoint = raw.codePointAt(i);
                bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(field, "is not valid UTF-8 once percent-decoded");
        }
        if (decoded.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(field, "must not contain control characters");
        }
        return decoded;
    }

    String string(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String value = values.get(0);
        if (value.isEmpty()) {
            throw ApiException.badRequest(name, "must not be empty");
        }
        if (value.length() > maxLength) {
            throw ApiException.unprocessable(name, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    Instant timestamp(String name) {
        return Timestamps.parse(name, string(name));
    }

    /** An integer between {@code min} and {@code max}; {@code fallback} when absent. */
    long integer(String name, long fallback, long min, long max) {
        String value = string(name);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "must be an integer");
        }
        if (parsed < min || parsed > max) {
            throw ApiException.unprocessable(name, "must be between " + min + " and " + max);
        }
        return parsed;
    }
}
