package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/** One request on its way through a handler: the Javalin context, the caller, and strict body and query access. */
final class Exchange {
    private final Context ctx;
    private final Caller caller;
    private final Route route;
    private final RestConfig config;
    private final Json json;
    private final Clock clock;

    Exchange(Context ctx, Caller caller, Route route, RestConfig config, Json json, Clock clock) {
        this.ctx = ctx;
        this.caller = caller;
        this.route = route;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** The server clock's reading, against which event times are judged. */
    Instant now() {
        return clock.instant();
    }

    Context ctx() {
        return ctx;
    }

    Caller caller() {
        return caller;
    }

    RestConfig config() {
        return config;
    }

    Json json() {
        return json;
    }

    int maxString() {
        return config.maxStringLength();
    }

    /**
     * The body as JSON, read within the size limit (413 beyond). Native routes demand {@code application/json};
     * sidecar routes, like the original, take any content type. An empty body is {@code null}.
     */
    JsonNode body() {
        byte[] bytes = readBody();
        if (bytes.length == 0) {
            return null;
        }
        if (!route.sidecar()) {
            requireJsonContentType();
        }
        return json.parse(bytes);
    }

    private void requireJsonContentType() {
        String contentType = ctx.header("Content-Type");
        if (contentType == null) {
            throw ApiException.unsupportedMediaType(null);
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            throw ApiException.unsupportedMediaType(contentType);
        }
        for (String parameter : Arrays.copyOfRange(parts, 1, parts.length)) {
            String p = parameter.trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (p.startsWith("charset=") && !p.equals("charset=utf-8")) {
                throw ApiException.unsupportedMediaType(contentType);
            }
        }
    }

    private byte[] readBody() {
        return readBody(config.maxBodyBytes());
    }

    /** The body as sent (before any content decoding), refused with 413 beyond {@code limit} bytes. */
    byte[] readBody(long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw ApiException.tooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw ApiException.tooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.badRequest("body", "could not be read");
        }
    }

    QueryParams query(String... allowed) {
        return QueryParams.of(ctx, Set.of(allowed), config.maxStringLength());
    }

    /** Sidecar routes accept (and ignore) any query string, as the original did. */
    void noQuery() {
        if (!route.sidecar()) {
            QueryParams.of(ctx, Set.of(), config.maxStringLength());
        }
    }

    String pathParam(String name) {
        String value = ctx.pathParam(name);
        if (value.length() > config.maxStringLength()) {
            throw ApiException.unprocessable(name, "must be at most " + config.maxStringLength() + " characters");
        }
        return value;
    }

    void respond(int status, Object body) {
        ctx.status(status).contentType("application/json").result(json.write(body));
    }
}
