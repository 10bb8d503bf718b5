package io.taskmetering.adapter.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, the request line sent byte for byte: {@link java.net.URI} refuses {@code %zz}, and no
 * HTTP client sends invalid UTF-8 or oversized headers on purpose.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** A response read off the wire; header names in lower case, the body de-chunked. */
    record Response(int status, String head, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return head + "\r\n\r\n" + body;
        }
    }

    /** {@code method target} with the API key and, when {@code body} is not null, a body of {@code contentType}. */
    static Response send(int port, String method, String target, String apiKey, String contentType, byte[] body) {
        String headers = body == null ? ""
                : "Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n";
        return exchange(port, (method + " " + target).getBytes(StandardCharsets.ISO_8859_1), apiKey, headers, body);
    }

    /**
     * Sends {@code requestLine} (method and target, without the protocol) as given, the API key, {@code extraHeaders}
     * (each ending in CRLF) and {@code body} (may be null), and reads the answer to the end.
     */
    static Response exchange(int port, byte[] requestLine, String apiKey, String extraHeaders, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestLine);
            out.write((" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + apiKey + "\r\n" + extraHeaders
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(all);
            } catch (SocketException reset) {
                // the server may close hard after an error response; what arrived is what counts
            }
            return parse(all.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new AssertionError("an incomplete response: " + text);
        }
        String head = text.substring(0, headEnd);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), head, headers,
                new String(body, StandardCharsets.UTF_8));
    }

    /** Chunk sizes count bytes: the chunks are cut from the bytes, decoded only afterwards. */
    private static byte[] unchunk(byte[] chunked) {
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = text.indexOf("\r\n", at);
            int size = Integer.parseInt(text.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString().getBytes(StandardCharsets.ISO_8859_1);
            }
            body.append(text, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
