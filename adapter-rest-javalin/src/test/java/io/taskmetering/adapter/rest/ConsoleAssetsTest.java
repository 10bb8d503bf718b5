package io.taskmetering.adapter.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's static files: served without a key, with their content types, a strict Content-Security-Policy and
 * revalidation; outside the route table, so the API's own answers (problem+json for unknown {@code /v1} paths) and the
 * suites generated from the OpenAPI document are unaffected.
 */
class ConsoleAssetsTest {
    @RegisterExtension
    static final TestApp app = new TestApp();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/console/, text/html; charset=utf-8",
            "/console/index.html, text/html; charset=utf-8",
            "/console/console.css, text/css; charset=utf-8",
            "/console/app.js, text/javascript; charset=utf-8",
            "/console/views.js, text/javascript; charset=utf-8"})
    void each_file_is_served_without_a_key_with_its_type_and_a_strict_policy(String path, String contentType) {
        TestApp.Resp r = app.get(path, null);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // Jetty writes some types without the space before the charset
        assertThat(r.contentType().replace(" ", "")).isEqualTo(contentType.replace(" ", ""));
        assertThat(r.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.header("ETag")).isNotBlank();
    }

    @Test
    void the_page_loads_its_script_as_a_module_from_this_origin_and_runs_no_inline_script() {
        String page = app.get("/console/", null).text();

        assertThat(page).contains("<script type=\"module\" src=\"app.js\"></script>");
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page);
        while (scripts.find()) {
            assertThat(scripts.group(1)).contains("src=");
            assertThat(scripts.group(2)).isBlank();
        }
        assertThat(page).doesNotContain("http://", "https://", " style=", "onclick");
    }

    @Test
    void the_bare_path_redirects_to_the_directory_so_relative_links_resolve() {
        TestApp.Resp r = app.get("/console", null);

        assertThat(r.status()).isEqualTo(308);
        assertThat(r.header("Location")).isEqualTo("/console/");
    }

    @Test
    void an_unchanged_file_is_not_sent_again() {
        String etag = app.get("/console/app.js", null).header("ETag");

        TestApp.Resp r = app.send(app.request("/console/app.js", null).header("If-None-Match", etag).GET());

        assertThat(r.status()).isEqualTo(304);
        assertThat(r.raw().body()).isEmpty();
    }

    @Test
    void head_answers_as_get_without_a_body() {
        TestApp.Resp r = app.send(app.request("/console/console.css", null).method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(r.raw().body()).isEmpty();
    }

    @Test
    void an_unknown_file_is_404_and_no_path_reaches_the_classpath() {
        assertThat(app.get("/console/nope.js", null).status()).isEqualTo(404);
        assertThat(app.get("/console/..%2Fopenapi.yaml", null).status()).isIn(400, 404);
        assertThat(app.get("/console/../openapi.yaml", null).status()).isIn(400, 404);
    }

    @Test
    void unknown_api_paths_still_answer_problem_json() {
        TestApp.Resp r = app.get("/v1/no-such-route", TestApp.ADMIN);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("detail").asText()).isEqualTo("no route GET /v1/no-such-route");
    }

    @Test
    void the_api_keeps_refusing_caching() {
        assertThat(app.get("/v1/charges", TestApp.ADMIN).header("Cache-Control")).isEqualTo("no-store");
    }
}
