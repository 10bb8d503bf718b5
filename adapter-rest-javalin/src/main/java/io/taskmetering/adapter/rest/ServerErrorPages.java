package io.taskmetering.adapter.rest;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The error pages of the server itself: what Jetty answers when a request never reaches a route (a request line or
 * headers over the limit, an undecodable path, a malformed request). They speak the API's dialect, as
 * {@link ErrorMapper} does for everything a route refuses: problem+json (the sidecar's {@code {"error"}} outside
 * {@code /v1}), an {@code X-Request-Id}, and a fixed sentence per status instead of Jetty's message, which may
 * quote the request or name its classes.
 */
final class ServerErrorPages extends ErrorHandler {
    private static final String JETTY_BAD_MESSAGE_PATH = "/badMessage";

    private final Json json;

    ServerErrorPages(Json json) {
        this.json = json;
    }

    /** An error on a request Jetty could parse far enough to have a path. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : HttpStatus.BAD_REQUEST_400;
        String path = rawPath(request);
        String requestId = RestApi.requestId(request.getHeaders().get(RestApi.REQUEST_ID_HEADER));
        HttpFields.Mutable headers = response.getHeaders();
        headers.remove(HttpHeader.CONTENT_TYPE);
        headers.remove(HttpHeader.CONTENT_LENGTH);
        byte[] body = body(status, path, headers, requestId);
        headers.put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /**
     * An error found while parsing the request line or headers (400 for an undecodable path, 414, 431): no request
     * exists yet, so neither the path (which dialect) nor the caller's request id is known.
     */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        return ByteBuffer.wrap(body(status, null, fields, RestApi.requestId(null)));
    }

    /** {@code path} null: not known, so the body speaks both dialects (a problem with the sidecar's "error" member). */
    private byte[] body(int status, String path, HttpFields.Mutable headers, String requestId) {
        headers.put(RestApi.REQUEST_ID_HEADER, requestId);
        headers.put(new HttpField(HttpHeader.CACHE_CONTROL, "no-store"));
        headers.put("X-Content-Type-Options", "nosniff");
        String detail = detail(status);
        if (path == null) {
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("type", Problem.typeFor(status));
            both.put("title", title(status));
            both.put("status", status);
            both.put("detail", detail);
            both.put("errors", List.of());
            both.put("error", detail);
            headers.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
            return json.write(both);
        }
        if (ErrorMapper.isSidecarPath(path)) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("error", detail);
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
            return json.write(error);
        }
        headers.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return json.write(Problem.of(status, title(status), detail, List.of()));
    }

    /** Null when Jetty could not read the request line: it then stands a placeholder in for the request's URI. */
    private static String rawPath(Request request) {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        return path == null || path.isEmpty() || path.equals(JETTY_BAD_MESSAGE_PATH) ? null : path;
    }

    private static String title(int status) {
        String reason = HttpStatus.getMessage(status);
        return reason == null ? "Error" : reason;
    }

    static String detail(int status) {
        return switch (status) {
            case 400 -> "the request could not be read: malformed request line, path, headers or percent-encoding "
                    + "(the path must be valid UTF-8 and must not encode control characters)";
            case 404 -> "no such route";
            case 405 -> "the method is not allowed on this route";
            case 413 -> "the request is too large";
            case 414 -> "the request line (path and query) is too long";
            case 431 -> "the request headers are too large";
            case 500 -> "the request failed unexpectedly; quote the X-Request-Id when reporting it";
            case 503 -> "the service is unavailable; retry later";
            default -> "the request could not be served";
        };
    }
}
