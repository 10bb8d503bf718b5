package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;

import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every response the server writes is the API's, also when Jetty or Javalin refuse a request before any route sees
 * it: problem+json (the sidecar's {@code {"error"}} outside {@code /v1}), an {@code X-Request-Id}, and no class name,
 * stack trace or HTML. Raw sockets send what an HTTP client refuses to send.
 */
class ServerErrorPagesTest {
    @RegisterExtension
    static final TestApp app = new TestApp();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static RawHttp.Response exchange(byte[] requestLineAndPath, String extraHeaders) {
        return RawHttp.exchange(app.port, requestLineAndPath, ADMIN, extraHeaders, null);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static Stream<Arguments> refusedRequests() {
        byte[] invalidUtf8 = concat(ascii("GET /v1/charges/"), new byte[] {(byte) 0xC3, (byte) 0x28});
        byte[] invalidUtf8Sidecar = concat(ascii("GET /evaluate/"), new byte[] {(byte) 0xFF});
        String longPath = "/v1/charges?subscription_ref=" + "a".repeat(20_000);
        String hugeHeader = "X-Filler: " + "h".repeat(20_000) + "\r\n";
        return Stream.of(
                Arguments.of("NUL percent-encoded", ascii("GET /v1/charges/%00"), "", 400, null),
                Arguments.of("undecodable percent-encoding", ascii("GET /v1/charges/a%zz"), "", 400, null),
                Arguments.of("percent-encoded invalid UTF-8", ascii("GET /v1/charges/%C3%28"), "", 400, false),
                Arguments.of("raw invalid UTF-8", invalidUtf8, "", 400, false),
                Arguments.of("sidecar NUL percent-encoded", ascii("POST /evaluate%00"), "Content-Length: 0\r\n", 400, null),
                Arguments.of("sidecar undecodable", ascii("GET /record%zz"), "", 400, null),
                Arguments.of("sidecar raw invalid UTF-8", invalidUtf8Sidecar, "", 400, true),
                Arguments.of("request line too long", ascii("GET " + longPath), "", 414, null),
                Arguments.of("headers too large", ascii("GET /v1/charges"), hugeHeader, 431, false),
                Arguments.of("sidecar headers too large", ascii("GET /record"), hugeHeader, 431, true),
                Arguments.of("unknown route", ascii("GET /v1/no-such-route"), "", 404, false),
                Arguments.of("method not allowed", ascii("DELETE /v1/charges"), "", 405, false),
                Arguments.of("sidecar unknown route", ascii("GET /no-such-route"), "", 404, true),
                Arguments.of("declared body too large", ascii("POST /v1/outcomes"),
                        "Content-Type: application/json\r\nContent-Length: 999999999\r\n", 413, false));
    }

    /**
     * {@code sidecar} null: refused before the path is known, so the body must serve both dialects: a problem that
     * also carries the sidecar's "error" member.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequests")
    void every_refusal_is_the_apis_error_with_a_request_id(String name, byte[] requestLine, String headers, int status,
                                                           Boolean sidecar) throws IOException {
        RawHttp.Response r = exchange(requestLine, headers);

        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("X-Request-Id")).as(r.toString()).isNotBlank();
        assertThat(r.body()).as(r.toString()).doesNotContain("<html", "Exception", "com.fasterxml", "org.eclipse",
                "java.", "jakarta.", "\tat ");
        JsonNode body = MAPPER.readTree(r.body());
        String contentType = r.header("Content-Type").toLowerCase(Locale.ROOT);
        if (Boolean.TRUE.equals(sidecar)) {
            assertThat(contentType).startsWith("application/json");
            assertThat(body.path("error").asText()).isNotBlank();
        } else {
            if (sidecar == null) {
                assertThat(body.path("error").asText()).isEqualTo(body.path("detail").asText());
            }
            assertThat(contentType).startsWith("application/problem+json");
            assertThat(body.path("status").asInt()).isEqualTo(status);
            assertThat(body.path("type").asText()).startsWith("https://");
            assertThat(body.path("detail").asText()).isNotBlank();
        }
    }

    @Test
    void a_safe_request_id_is_echoed_on_a_server_error_page() throws IOException {
        RawHttp.Response r = exchange(concat(ascii("GET /v1/charges/"), new byte[] {(byte) 0xC3, (byte) 0x28}),
                "X-Request-Id: trace-42\r\n");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("X-Request-Id")).isEqualTo("trace-42");
    }

    @Test
    void the_service_still_answers_after_refusals() throws IOException {
        exchange(ascii("GET /v1/charges/%zz"), "");

        assertThat(app.get("/v1/charges", ADMIN).status()).isEqualTo(200);
    }
}
