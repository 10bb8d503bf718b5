package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query strings and HEAD on every GET route, taken from the route table so that a new route is covered without
 * touching this test: an undecodable, unknown or repeated query parameter is a 400 problem naming it (never a
 * silently dropped filter), and HEAD is authenticated exactly like GET.
 */
class QueryAndHeadTest {
    private static final Set<String> PUBLIC_GETS = Set.of("/health", "/ready", "/metrics", "/openapi.json");

    @RegisterExtension
    static final TestApp app = new TestApp();

    private static JsonNode openApi;

    @BeforeAll
    static void readOpenApi() {
        openApi = app.get("/openapi.json", null).json();
    }

    /** A GET route as callable: path parameters filled in, and the query parameters its OpenAPI entry declares. */
    private record GetRoute(String template, String path, List<String> queryParams) {
        /** A parameter the route knows when it has one, so that broken encodings hit a real filter. */
        String someParam() {
            return queryParams.isEmpty() ? "no_such_param" : queryParams.get(0);
        }
    }

    private static List<GetRoute> nativeGetRoutes() {
        List<GetRoute> routes = new ArrayList<>();
        for (String key : app.api.routes()) {
            if (!key.startsWith("GET ")) {
                continue;
            }
            String template = key.substring(4);
            if (ErrorMapper.isSidecarPath(template)) {
                continue; // the sidecar's routes accept and ignore any query string, as the original did
            }
            routes.add(new GetRoute(template, template.replaceAll("\\{[^}]+}", "no-such-id"), queryParams(template)));
        }
        assertThat(routes).as("native GET routes").hasSizeGreaterThan(10);
        return routes;
    }

    private static List<String> queryParams(String template) {
        JsonNode operation = openApi.path("paths").path(template).path("get");
        assertThat(operation.isMissingNode()).as("OpenAPI entry for GET " + template).isFalse();
        List<String> names = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode resolved = parameter.has("$ref")
                    ? openApi.at(parameter.get("$ref").asText().substring(1))
                    : parameter;
            if (resolved.path("in").asText().equals("query")) {
                names.add(resolved.path("name").asText());
            }
        }
        return names;
    }

    /** A response read off the wire: {@link java.net.URI} refuses the broken encodings this test must send. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        /** The fields named by a problem's errors. */
        List<String> errorFields() {
            try {
                return new ObjectMapper().readTree(body).path("errors").findValuesAsText("field");
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** {@code GET target} with the admin key, the request target sent byte for byte as given. */
    private static RawResponse rawGet(String target) {
        RawHttp.Response r = RawHttp.send(app.port, "GET", target, ADMIN, null, null);
        return new RawResponse(r.status(), r.headers(), r.body());
    }

    private static void assertBadParameter(RawResponse response, String route, String parameter) {
        assertThat(response.status()).as(route + " " + response).isEqualTo(400);
        assertThat(response.headers().get("content-type")).as(route).startsWith("application/problem+json");
        assertThat(response.headers().get("x-request-id")).as(route).isNotBlank();
        assertThat(response.errorFields()).as(route + " " + response).contains(parameter);
        assertThat(response.body()).as(route)
                .doesNotContain("Exception", "java.", "javalin", "jetty", "\tat ");
    }

    private static void assertBadParameter(TestApp.Resp response, String route, String parameter) {
        assertThat(response.status()).as(route + " " + response).isEqualTo(400);
        assertThat(response.contentType()).as(route).startsWith("application/problem+json");
        assertThat(response.header("X-Request-Id")).as(route).isNotBlank();
        assertThat(response.errorFields()).as(route + " " + response).contains(parameter);
        assertThat(response.text()).as(route)
                .doesNotContain("Exception", "java.", "javalin", "jetty", "\tat ");
    }

    @Test
    void an_undecodable_query_parameter_is_a_400_naming_it_on_every_native_get_route() {
        for (GetRoute route : nativeGetRoutes()) {
            String p = route.someParam();
            for (String value : List.of("sub-a%zz", "BOGUS%zz", "%", "%4", "%C3%28", "%FF", "a%00b")) {
                var response = rawGet(route.path() + "?" + p + "=" + value);
                assertBadParameter(response, route.template() + "?" + p + "=" + value, p);
            }
        }
    }

    @Test
    void an_undecodable_parameter_name_is_a_400_naming_it_as_sent() {
        for (GetRoute route : nativeGetRoutes()) {
            var response = rawGet(route.path() + "?state%zz=BILLABLE");
            assertBadParameter(response, route.template(), "state%zz");
        }
    }

    @Test
    void an_unknown_query_parameter_is_a_400_naming_it_on_every_native_get_route() {
        for (GetRoute route : nativeGetRoutes()) {
            var response = app.get(route.path() + "?subscription=sub-a", ADMIN);
            if (route.queryParams().contains("subscription")) {
                continue;
            }
            assertBadParameter(response, route.template(), "subscription");
            assertBadParameter(app.get(route.path() + "?flag", ADMIN), route.template(), "flag");
        }
    }

    @Test
    void a_repeated_query_parameter_is_a_400_naming_it_on_every_native_get_route() {
        for (GetRoute route : nativeGetRoutes()) {
            String p = route.someParam();
            var response = app.get(route.path() + "?" + p + "=a&" + p + "=b", ADMIN);
            assertBadParameter(response, route.template(), p);
        }
    }

    @Test
    void a_broken_filter_never_widens_a_listing() {
        assertThat(app.post("/v1/outcomes", AGENT_A, json(Bodies.outcome("q-task-1", "sub-a"))).status()).isEqualTo(201);
        var filtered = app.get("/v1/charges?subscription_ref=sub-a", ADMIN);
        assertThat(filtered.status()).isEqualTo(200);
        assertThat(filtered.json().path("data").size()).isEqualTo(1);
        assertBadParameter(rawGet("/v1/charges?subscription_ref=sub-x%zz"), "/v1/charges", "subscription_ref");
        assertBadParameter(rawGet("/v1/charges?state=BOGUS%zz"), "/v1/charges", "state");
        // What a well-formed encoding says is still read: sub%2Da is sub-a, + is a space.
        var encoded = app.get("/v1/charges?subscription_ref=sub%2Da", ADMIN);
        assertThat(encoded.status()).isEqualTo(200);
        assertThat(encoded.json().path("data").size()).isEqualTo(1);
        assertThat(app.get("/v1/charges?subscription_ref=sub+a", ADMIN).json().path("data").size()).isZero();
    }

    @Test
    void head_is_authenticated_like_get_on_every_get_route() {
        int protectedRoutes = 0;
        for (String key : app.api.routes()) {
            if (!key.startsWith("GET ")) {
                continue;
            }
            String template = key.substring(4);
            String path = template.replaceAll("\\{[^}]+}", "no-such-id");
            var get = app.get(path, null);
            var head = app.send(app.request(path, null).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(head.status()).as("HEAD " + template).isEqualTo(get.status());
            assertThat(head.raw().body()).as("HEAD " + template).isEmpty();
            if (!PUBLIC_GETS.contains(template)) {
                protectedRoutes++;
                assertThat(head.status()).as("HEAD " + template + " without a key").isEqualTo(401);
                assertThat(head.header("WWW-Authenticate")).as("HEAD " + template).isEqualTo("Bearer");
                var wrongKey = app.send(app.request(path, "not-a-configured-key-xx")
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
                assertThat(wrongKey.status()).as("HEAD " + template + " with a wrong key").isEqualTo(401);
                var withKey = app.send(app.request(path, ADMIN).method("HEAD", HttpRequest.BodyPublishers.noBody()));
                assertThat(withKey.status()).as("HEAD " + template + " with a key")
                        .isEqualTo(app.get(path, ADMIN).status());
            }
        }
        assertThat(protectedRoutes).isGreaterThan(10);
    }

    @Test
    void sidecar_401s_name_the_bearer_scheme() {
        for (TestApp.Resp response : List.of(
                app.post("/evaluate", null, json(Map.of("task_id", "t"))),
                app.post("/record_task_completed", "not-a-configured-key-xx", json(Map.of("task_id", "t"))),
                app.get("/audit/some-id", null))) {
            assertThat(response.status()).as(response.toString()).isEqualTo(401);
            assertThat(response.json().has("error")).as(response.toString()).isTrue();
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }
}
