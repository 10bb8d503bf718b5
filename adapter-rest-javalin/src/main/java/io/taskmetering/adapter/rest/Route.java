package io.taskmetering.adapter.rest;

import io.javalin.http.HandlerType;

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

    /** {@code GET /v1/charges}, as listed by {@link RestApi#routes()} and in the OpenAPI document. */
    String key() {
        return method.name() + " " + path;
    }
}
