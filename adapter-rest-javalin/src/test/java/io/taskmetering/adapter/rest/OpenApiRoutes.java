package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations of the served OpenAPI document as the authorization tests read them: method, path, whether a key is
 * needed, the roles admitted ({@code x-roles}), what a key scoped to other subscriptions gets
 * ({@code x-other-subscriptions}) and the statuses documented.
 */
final class OpenApiRoutes {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** One operation of the document. */
    record Operation(String method, String path, JsonNode node) {
        /** {@code GET /v1/charges}, as {@link Route#key()} spells it. */
        String key() {
            return method + " " + path;
        }

        boolean secured() {
            return node.has("security");
        }

        Set<String> roles() {
            Set<String> roles = new TreeSet<>();
            node.path("x-roles").forEach(role -> roles.add(role.asText()));
            return roles;
        }

        /** {@code forbidden}, {@code forbidden-per-item}, {@code reported-invalid}, {@code not-found}, {@code filtered}, {@code refused}; null on public routes. */
        String otherSubscriptions() {
            return node.path("x-other-subscriptions").asText(null);
        }

        Set<Integer> statuses() {
            Set<Integer> statuses = new TreeSet<>();
            node.path("responses").fieldNames().forEachRemaining(code -> statuses.add(Integer.parseInt(code)));
            return statuses;
        }
    }

    private final List<Operation> operations;

    private OpenApiRoutes(List<Operation> operations) {
        this.operations = List.copyOf(operations);
    }

    /** The document the server serves, read from the same resource. */
    static OpenApiRoutes served() {
        JsonNode document;
        try {
            document = new ObjectMapper().readTree(OpenApiDocument.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Operation> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue()));
            }
        }));
        return new OpenApiRoutes(operations);
    }

    List<Operation> operations() {
        return operations;
    }

    /** The methods each path serves, in document order; HEAD wherever GET is (the server answers it as GET). */
    Map<String, Set<String>> methodsByPath() {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        for (Operation op : operations) {
            Set<String> of = methods.computeIfAbsent(op.path(), p -> new LinkedHashSet<>());
            of.add(op.method());
            if (op.method().equals("GET")) {
                of.add("HEAD");
            }
        }
        return methods;
    }
}
