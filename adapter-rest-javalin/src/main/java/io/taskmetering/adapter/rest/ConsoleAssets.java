package io.taskmetering.adapter.rest;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator console: static files (HTML, CSS, JavaScript modules) read once from this module's classpath and
 * served under {@code /console/}. They are not API routes: they hold no data (everything the console shows it fetches
 * from the API with the key the user enters), so they need no key and stay out of the route table, the OpenAPI
 * document and the suites generated from it. A fixed list of files, so no request path ever reaches the classpath.
 *
 * <p>Every file goes out with a strict Content-Security-Policy (scripts, styles and requests from this origin only;
 * no inline script or style, no framing), {@code no-cache} with an ETag (revalidated on every load, so an upgraded
 * jar is picked up at once) and no referrer.
 */
final class ConsoleAssets {
    static final String PREFIX = "/console";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final String RESOURCE_DIRECTORY = "/io/taskmetering/adapter/rest/console/";
    private static final List<String> FILES = List.of("index.html", "console.css", "api.js", "dom.js", "chart.js", "views.js",
            "app.js");

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    ConsoleAssets() {
        for (String file : FILES) {
            byte[] bytes = read(RESOURCE_DIRECTORY + file);
            assets.put(PREFIX + "/" + file, new Asset(bytes, contentType(file), "\"" + sha256(bytes) + "\""));
        }
        assets.put(PREFIX + "/", assets.get(PREFIX + "/index.html"));
    }

    /** {@code /console} itself redirects to {@code /console/}, so that the page's relative links resolve. */
    void serve(Context ctx) {
        String path = ctx.path();
        if (path.equals(PREFIX)) {
            ctx.header("Location", PREFIX + "/").status(308);
            return;
        }
        Asset asset = assets.get(path);
        if (asset == null) {
            throw new NotFoundResponse();
        }
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", asset.etag());
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(asset.contentType()).result(asset.bytes());
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        throw new IllegalArgumentException("no content type for console file " + file);
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the console file " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
