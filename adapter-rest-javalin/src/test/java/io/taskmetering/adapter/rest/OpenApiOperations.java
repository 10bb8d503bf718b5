package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations of the served OpenAPI document, for tests generated from it: each operation with its parameters
 * and request body schema, {@code $ref}s resolved, and every field of a request body as a dotted name with its
 * schema ({@link #fields}). Read from {@link OpenApiDocument#json()}, the bytes {@code GET /openapi.json} serves.
 */
final class OpenApiOperations {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode DOCUMENT = read();
    /** The keys of a path item that are operations (the others, like {@code parameters}, are not). */
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private OpenApiOperations() {
    }

    private static JsonNode read() {
        try {
            return MAPPER.readTree(OpenApiDocument.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode document() {
        return DOCUMENT;
    }

    /** A {@code $ref} resolved (repeatedly); a node without one as it is. */
    static JsonNode resolve(JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref")) {
            String ref = resolved.path("$ref").asText();
            resolved = DOCUMENT.at(ref.substring(1));
            if (resolved.isMissingNode()) {
                throw new IllegalStateException("unresolvable $ref " + ref);
            }
        }
        return resolved;
    }

    /** A query or path parameter. */
    record Parameter(String name, String in, boolean required, JsonNode schema) {
    }

    /** One operation: {@code GET /v1/charges}, its OpenAPI object, parameters and request body. */
    record Operation(String method, String path, JsonNode node) {
        /** As {@link Route#key()} and {@link RestApi#routes()} spell it. */
        String key() {
            return method + " " + path;
        }

        /** Sidecar routes (all outside {@code /v1/} but the operations routes) speak the sidecar's dialect. */
        boolean sidecar() {
            return ErrorMapper.isSidecarPath(path);
        }

        boolean secured() {
            return !node.path("security").isEmpty();
        }

        List<Parameter> parameters(String in) {
            List<Parameter> parameters = new ArrayList<>();
            for (JsonNode p : node.path("parameters")) {
                JsonNode parameter = resolve(p);
                if (parameter.path("in").asText().equals(in)) {
                    parameters.add(new Parameter(parameter.path("name").asText(), in,
                            parameter.path("required").asBoolean(), resolve(parameter.path("schema"))));
                }
            }
            return parameters;
        }

        /** The roles admitted ({@code x-roles}); empty on public routes. */
        Set<String> roles() {
            Set<String> roles = new TreeSet<>();
            node.path("x-roles").forEach(role -> roles.add(role.asText()));
            return roles;
        }

        /**
         * What a key scoped to other subscriptions gets ({@code x-other-subscriptions}): {@code forbidden},
         * {@code forbidden-per-item}, {@code reported-invalid}, {@code not-found}, {@code filtered} or {@code refused};
         * null on public routes.
         */
        String otherSubscriptions() {
            return node.path("x-other-subscriptions").asText(null);
        }

        /** The statuses the operation documents. */
        Set<Integer> statuses() {
            Set<Integer> statuses = new TreeSet<>();
            node.path("responses").fieldNames().forEachRemaining(code -> statuses.add(Integer.parseInt(code)));
            return statuses;
        }

        boolean hasBody() {
            return node.has("requestBody");
        }

        boolean bodyRequired() {
            return resolve(node.path("requestBody")).path("required").asBoolean();
        }

        /** The schema of the JSON request body (resolved); a missing node when the operation takes none. */
        JsonNode bodySchema() {
            return resolve(resolve(node.path("requestBody")).path("content").path("application/json").path("schema"));
        }

        /** The schema of a response's JSON body (resolved), e.g. of {@code "200"}; a missing node when none. */
        JsonNode responseSchema(String status) {
            JsonNode content = resolve(node.path("responses").path(status)).path("content");
            return content.has("application/json")
                    ? resolve(content.path("application/json").path("schema")) : MissingNode.getInstance();
        }

        @Override
        public String toString() {
            return key();
        }
    }

    /** Every operation of the document, in document order. */
    static List<Operation> all() {
        List<Operation> operations = new ArrayList<>();
        DOCUMENT.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue()));
            }
        }));
        return operations;
    }

    /** The methods each path serves, in document order; HEAD wherever GET is (the server answers it as GET). */
    static Map<String, Set<String>> methodsByPath() {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        for (Operation op : all()) {
            Set<String> of = methods.computeIfAbsent(op.path(), p -> new LinkedHashSet<>());
            of.add(op.method());
            if (op.method().equals("GET")) {
                of.add("HEAD");
            }
        }
        return methods;
    }

    static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        all().forEach(op -> keys.add(op.key()));
        return keys;
    }

    /**
     * A field of a request body: its dotted name ({@code outcomes[0].evidence.traces[0].span_id}), the path to it
     * (object keys and array indexes), its schema (resolved), and whether its object requires it.
     */
    record Field(String name, List<Object> path, JsonNode schema, boolean required) {
        String leaf() {
            Object last = path.get(path.size() - 1);
            return last instanceof String key ? key : name;
        }

        String type() {
            return schema.path("type").asText(schema.has("properties") ? "object" : "");
        }

        boolean nullable() {
            return schema.path("nullable").asBoolean();
        }
    }

    /**
     * Every field below {@code schema}, depth first: an object's listed properties, the first element of an array
     * ({@code [0]}), and one entry {@code x} of a map whose values have a schema ({@code additionalProperties:
     * {type: number}}). {@code allOf} of one schema counts as that schema.
     */
    static List<Field> fields(JsonNode schema) {
        List<Field> fields = new ArrayList<>();
        walk(resolved(schema), "", List.of(), fields);
        return fields;
    }

    private static JsonNode resolved(JsonNode schema) {
        JsonNode s = resolve(schema);
        if (s.has("allOf") && s.path("allOf").size() == 1) {
            // {nullable: true, allOf: [{$ref}]}: the referenced schema with the siblings laid over it
            ObjectNode merged = resolved(s.path("allOf").get(0)).deepCopy();
            s.properties().forEach(e -> {
                if (!e.getKey().equals("allOf")) {
                    merged.set(e.getKey(), e.getValue());
                }
            });
            return merged;
        }
        return s;
    }

    private static void walk(JsonNode schema, String name, List<Object> path, List<Field> into) {
        if (schema.has("properties")) {
            Set<String> required = new TreeSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            schema.path("properties").properties().forEach(property -> {
                JsonNode child = resolved(property.getValue());
                String childName = name.isEmpty() ? property.getKey() : name + "." + property.getKey();
                List<Object> childPath = append(path, property.getKey());
                into.add(new Field(childName, childPath, child, required.contains(property.getKey())));
                walk(child, childName, childPath, into);
            });
        } else if (schema.path("additionalProperties").isObject()) {
            JsonNode values = resolved(schema.path("additionalProperties"));
            String childName = name + ".x";
            List<Object> childPath = append(path, "x");
            into.add(new Field(childName, childPath, values, false));
            walk(values, childName, childPath, into);
        }
        if (schema.has("items")) {
            JsonNode items = resolved(schema.path("items"));
            String childName = name + "[0]";
            List<Object> childPath = append(path, 0);
            into.add(new Field(childName, childPath, items, false));
            walk(items, childName, childPath, into);
        }
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return List.copyOf(longer);
    }
}
