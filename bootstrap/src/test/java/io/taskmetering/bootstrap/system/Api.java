package io.taskmetering.bootstrap.system;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client of the service's HTTP API, as a team's control plane would be: {@link HttpClient}, bearer keys, JSON in
 * and out (with {@link Json}: objects are maps, integers longs).
 */
final class Api {
    static final String AGENT_KEY = "agent-key-system-test-0001";
    static final String READER_KEY = "reader-key-system-test-0001";
    static final String ADMIN_KEY = "admin-key-system-test-0001";
    /** {@code METERING_API_KEYS} for the three keys above. */
    static final String API_KEYS = "agent:" + AGENT_KEY + ",reader:" + READER_KEY + ",admin:" + ADMIN_KEY;

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String baseUrl;
    private final String key;

    Api(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    static Api agent(ServiceProcess service) {
        return new Api(service.baseUrl(), AGENT_KEY);
    }

    static Api reader(ServiceProcess service) {
        return new Api(service.baseUrl(), READER_KEY);
    }

    static Api admin(ServiceProcess service) {
        return new Api(service.baseUrl(), ADMIN_KEY);
    }

    /** One HTTP answer; {@link #json()} parses the body. */
    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> data() {
            return (List<Map<String, Object>>) json().get("data");
        }

        Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : Json.write(body))));
    }

    /** Like {@link #post} but lets I/O failures (connection refused or reset) through for the caller to count. */
    Response tryPost(String path, Object body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body(), response.headers());
    }

    /** Every item of a cursor-paged listing ({@code data} + {@code next_cursor}). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> all(String path) {
        List<Map<String, Object>> items = new ArrayList<>();
        String cursor = null;
        do {
            String separator = path.contains("?") ? "&" : "?";
            String page = path + separator + "limit=1000" + (cursor == null ? "" : "&cursor=" + encode(cursor));
            Map<String, Object> body = get(page).expect(200).json();
            items.addAll((List<Map<String, Object>>) body.get("data"));
            cursor = (String) body.get("next_cursor");
        } while (cursor != null);
        return items;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = CLIENT.send(builder.timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
