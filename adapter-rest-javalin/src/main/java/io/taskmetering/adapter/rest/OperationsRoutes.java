package io.taskmetering.adapter.rest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Liveness, readiness, Prometheus metrics and the OpenAPI document. None needs a key. */
final class OperationsRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OperationsRoutes.class);

    private final MeteringMetrics metrics;
    private final BooleanSupplier readiness;
    private final BooleanSupplier liveness;
    private final byte[] openApi = OpenApiDocument.json();

    OperationsRoutes(MeteringMetrics metrics, BooleanSupplier readiness, BooleanSupplier liveness) {
        this.metrics = metrics;
        this.readiness = readiness;
        this.liveness = liveness;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/health", Access.PUBLIC, this::health).asSidecar(),
                Route.get("/ready", Access.PUBLIC, this::ready),
                Route.get("/metrics", Access.PUBLIC, this::metrics),
                Route.get("/openapi.json", Access.PUBLIC, this::openApi));
    }

    /** 503 {@code unhealthy} asks an orchestrator to restart the process: it will not recover by itself. */
    private void health(Exchange ex) {
        boolean live = check("liveness", liveness);
        ex.respond(live ? 200 : 503, new Responses.StatusBody(live ? "ok" : "unhealthy"));
    }

    private void ready(Exchange ex) {
        ex.noQuery();
        boolean ready = check("readiness", readiness);
        ex.respond(ready ? 200 : 503, new Responses.StatusBody(ready ? "ready" : "not_ready"));
    }

    private static boolean check(String name, BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("{} check failed", name, e);
            return false;
        }
    }

    private void metrics(Exchange ex) {
        ex.noQuery();
        ex.ctx().status(200).contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void openApi(Exchange ex) {
        ex.noQuery();
        ex.ctx().status(200).contentType("application/json").result(openApi);
    }
}
