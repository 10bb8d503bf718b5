package io.taskmetering.adapter.rest;

import io.javalin.http.Context;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query string of a native route, read strictly: a parameter the route does not know, or given twice, is a 400
 * naming it, so a typo such as {@code ?subscription=} never silently widens a listing.
 */
final class QueryParams {
    private final Map<String, List<String>> params;
    private final int maxLength;

    private QueryParams(Map<String, List<String>> params, int maxLength) {
        this.params = params;
        this.maxLength = maxLength;
    }

    static QueryParams of(Context ctx, Set<String> allowed, int maxLength) {
        Map<String, List<String>> params = ctx.queryParamMap();
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
