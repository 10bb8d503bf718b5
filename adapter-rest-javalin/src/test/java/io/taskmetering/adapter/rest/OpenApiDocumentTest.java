package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.ADMIN_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_ALL;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written OpenAPI document against the served API: the same routes, the same roles, every reference
 * resolving, and the structure OpenAPI 3.0 requires of what the document uses.
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

    @RegisterExtension
    static final TestApp app = new TestApp();
    static JsonNode doc;

    @BeforeAll
    static void readDocument() {
        var r = app.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        doc = r.json();
    }

    @Test
    void the_document_covers_exactly_the_registered_routes() {
        Set<String> documented = new TreeSet<>();
        operations((key, op) -> documented.add(key));
        assertThat(documented).isEqualTo(new TreeSet<>(app.api.routes()));
        assertThat(app.api.routes()).doesNotHaveDuplicates();
    }

    @Test
    void every_documented_route_is_served() {
        operations((key, op) -> {
            var response = app.send(request(key, null));
            // served: anything but "no such route" (protected routes answer 401 without a key)
            assertThat(response.status()).as(key + " " + response).isNotIn(404, 405);
        });
    }

    /** A route documents bearerAuth and its roles exactly when it refuses a caller without a key or with another role. */
    @Test
    void the_documented_roles_are_the_roles_each_route_enforces() {
        Map<String, String> keyOfRole = Map.of("agent", AGENT_ALL, "reader", READER_A, "admin", ADMIN);
        operations((key, op) -> {
            boolean secured = op.has("security");
            int withoutKey = app.send(request(key, null)).status();
            assertThat(withoutKey == 401).as(key + " documents bearerAuth, answered " + withoutKey).isEqualTo(secured);
            if (!secured) {
                return;
            }
            assertThat(op.path("security").toString()).as(key).isEqualTo("[{\"bearerAuth\":[]}]");
            Matcher roles = Pattern.compile("Roles: ([a-z ]+)\\.$").matcher(op.path("description").asText());
            assertThat(roles.find()).as(key + " names its roles at the end of its description").isTrue();
            Set<String> documentedRoles = new TreeSet<>(List.of(roles.group(1).split(" or | ")));
            documentedRoles.retainAll(keyOfRole.keySet());
            Set<String> allowed = new TreeSet<>();
            keyOfRole.forEach((role, apiKey) -> {
                if (app.send(request(key, apiKey)).status() != 403) {
                    allowed.add(role);
                }
            });
            assertThat(allowed).as(key + " lets these roles in").isEqualTo(documentedRoles);
            boolean unscopedOnly = roles.group(1).endsWith("without subscription scope");
            assertThat(app.send(request(key, ADMIN_A)).status() == 403)
                    .as(key + ": a subscription-scoped admin is refused exactly when the roles say so").isEqualTo(unscopedOnly);
        });
    }

    @Test
    void every_reference_resolves() {
        Matcher refs = Pattern.compile("\"\\$ref\":\"#(/[^\"]+)\"").matcher(doc.toString());
        List<String> missing = new ArrayList<>();
        int count = 0;
        while (refs.find()) {
            count++;
            if (doc.at(refs.group(1)).isMissingNode()) {
                missing.add(refs.group(1));
            }
        }
        assertThat(count).isPositive();
        assertThat(missing).isEmpty();
    }

    @Test
    void the_document_has_the_structure_of_openapi_3_0() {
        assertThat(doc.path("openapi").asText()).matches("3\\.0\\.\\d+");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").isTextual()).isTrue();
        Set<String> schemes = new LinkedHashSet<>();
        doc.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        assertThat(schemes).containsExactly("bearerAuth");
        doc.path("paths").properties().forEach(path -> {
            assertThat(path.getKey()).startsWith("/");
            path.getValue().fieldNames().forEachRemaining(method -> assertThat(METHODS).as(path.getKey()).contains(method));
        });
        operations((key, op) -> {
            assertThat(op.path("summary").asText()).as(key).isNotBlank();
            assertThat(op.path("tags").isArray() && !op.path("tags").isEmpty()).as(key + " tags").isTrue();
            op.path("security").forEach(requirement -> requirement.fieldNames()
                    .forEachRemaining(scheme -> assertThat(schemes).as(key).contains(scheme)));
            assertThat(op.path("responses").isEmpty()).as(key + " responses").isFalse();
            op.path("responses").properties().forEach(response -> {
                assertThat(response.getKey()).as(key).matches("[1-5]\\d\\d|default");
                JsonNode resolved = resolve(response.getValue());
                assertThat(resolved.path("description").isTextual()).as(key + " " + response.getKey()).isTrue();
                resolved.path("content").forEach(media -> assertThat(media.has("schema")).as(key).isTrue());
            });
            if (op.has("requestBody")) {
                assertThat(op.path("requestBody").path("content").isEmpty()).as(key + " request body").isFalse();
            }
            Set<String> declared = new TreeSet<>();
            for (JsonNode parameter : op.path("parameters")) {
                JsonNode p = resolve(parameter);
                assertThat(p.path("name").asText()).as(key).isNotBlank();
                assertThat(p.path("in").asText()).as(key).isIn("query", "path", "header", "cookie");
                assertThat(p.has("schema")).as(key + " " + p.path("name")).isTrue();
                if (p.path("in").asText().equals("path")) {
                    assertThat(p.path("required").asBoolean()).as(key + " path parameters are required").isTrue();
                    declared.add(p.path("name").asText());
                }
            }
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = PATH_PARAMETER.matcher(key);
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            assertThat(declared).as(key + " declares exactly its path parameters").isEqualTo(inTemplate);
        });
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? doc.at(node.path("$ref").asText().substring(1)) : node;
    }

    /** Every operation as {@code GET /v1/charges} and its object. */
    private static void operations(BiConsumer<String, JsonNode> each) {
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                each.accept(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue())));
    }

    /**
     * A request that reaches authorisation but changes nothing: a POST carries a body that is not JSON and a DELETE a
     * query parameter no route takes, which every route refuses once the caller is let in.
     */
    private static HttpRequest.Builder request(String operation, String apiKey) {
        String[] methodAndPath = operation.split(" ", 2);
        String path = methodAndPath[1].replaceAll("\\{[^}]+}", "x");
        if (methodAndPath[0].equals("DELETE")) {
            return app.request(path + "?not_a_parameter=1", apiKey).DELETE();
        }
        HttpRequest.Builder request = app.request(path, apiKey);
        return methodAndPath[0].equals("GET") ? request.GET()
                : request.header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("not json"));
    }
}
