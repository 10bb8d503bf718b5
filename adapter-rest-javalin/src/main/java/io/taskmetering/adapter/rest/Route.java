package io.taskmetering.adapter.rest;

import io.javalin.http.HandlerType;

import java.util.List;

/**
 * One route of the API: method, path template in OpenAPI syntax ({@code /v1/audit/{correlation_id}}), who may call
 * it, and whether it speaks the sidecar's error dialect.
 */
record Route(HandlerType method, String path, Access access, boolean sidecar, Handler handler) {
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    static Route get(String path, Access access, Handler handler) {
        return new Route(HandlerType.GET, path, access, false, handler);
    }

    static Route post(String path, Access access, Handler handler) {
        return new Route(HandlerType.POST, path, access, false, handler);
    }

    static Route delete(String path, Access access, Handler handler) {
        return new Route(HandlerType.DELETE, path, access, false, handler);
    }

    Route asSidecar() {
        return new Route(method, path, access, true, handler);
    }

    /** True when {@code path} (a request's path) fits this route's template, segment by segment. */
    boolean matches(String path) {
        String[] template = this.path.split("/", -1);
        String[] actual = path.split("/", -1);
        if (template.length != actual.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean parameter = template[i].startsWith("{") && !actual[i].isEmpty();
            if (!parameter && !template[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    /** The methods this route answers: HEAD with every GET. */
    List<String> methods() {
        return method == HandlerType.GET ? List.of("GET", "HEAD") : List.of(method.name());
    }

    /** {@code GET /v1/charges}, as listed by {@link RestApi#routes()} and in the OpenAPI document. */
    String key() {
        return method.name() + " " + path;
    }
}
