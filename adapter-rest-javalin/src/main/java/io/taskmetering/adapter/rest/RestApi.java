package io.taskmetering.adapter.rest;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The HTTP API on Javalin 7: every route of the native {@code /v1} API, the {@code /v1/usage} family, the OTLP trace
 * export ({@code /v1/traces}), the Python sidecar's routes and the operations routes, with bearer-key auth, strict
 * JSON, one error mapper, request logs with request ids, Prometheus metrics and an OpenAPI document.
 *
 * <p>Built by bootstrap's hand wiring; {@link #start(int)} binds (0 = a free port) and returns the port;
 * {@link #stop()} stops taking requests, lets those in flight finish (up to a bound) and closes the server.
 */
public final class RestApi {
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String ROUTE_ATTRIBUTE = "taskmetering.route";
    static final String CALLER_ATTRIBUTE = "taskmetering.caller";
    static final String REQUEST_ID_ATTRIBUTE = "taskmetering.request_id";
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final Logger REQUEST_LOG = LoggerFactory.getLogger("io.taskmetering.adapter.rest.requests");

    private final RestConfig config;
    private final Clock clock;
    private final MeteringMetrics metrics;
    private final Authenticator authenticator;
    private final Json json;
    private final ErrorMapper errors;
    private final List<Route> routes;
    private final ConsoleAssets console = new ConsoleAssets();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private Javalin app;

    /**
     * @param useCases  every use case the API reaches
     * @param config    keys, limits, bind host
     * @param registry  where metrics go (bootstrap may share it with its scheduler through {@link #metrics()})
     * @param readiness true when the database is reachable and migrated; asked by {@code GET /ready}
     * @param liveness  false when the process cannot recover by itself and should be restarted; asked by
     *                  {@code GET /health}
     * @param clock     the server clock; event times more than a few minutes ahead of it are refused
     */
    public RestApi(UseCases useCases, RestConfig config, PrometheusMeterRegistry registry, BooleanSupplier readiness,
                   BooleanSupplier liveness, Clock clock) {
        Objects.requireNonNull(useCases, "useCases");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new MeteringMetrics(Objects.requireNonNull(registry, "registry"));
        metrics.registerBacklog(useCases.usageEvents());
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(liveness, "liveness");
        this.authenticator = new Authenticator(config.apiKeys());
        this.json = new Json(config.maxBodyBytes());
        this.errors = new ErrorMapper(json);
        List<Route> all = new ArrayList<>();
        all.addAll(new OutcomeRoutes(useCases, metrics).routes());
        all.addAll(new ChargeRoutes(useCases, metrics).routes());
        all.addAll(new UsageRoutes(useCases, metrics).routes());
        all.addAll(new ContractRoutes(useCases).routes());
        all.addAll(new ShadowRoutes(useCases).routes());
        all.addAll(new ReplayRoutes(useCases).routes());
        all.addAll(new InsightRoutes(useCases).routes());
        all.addAll(new ReconciliationRoutes(useCases).routes());
        all.addAll(new TraceRoutes(useCases, metrics, config).routes());
        all.addAll(new SidecarRoutes(useCases, metrics).routes());
        all.addAll(new OperationsRoutes(metrics, readiness, liveness).routes());
        this.routes = List.copyOf(all);
    }

    /** The metrics, for bootstrap's scheduler to record its submission runs. */
    public MeteringMetrics metrics() {
        return metrics;
    }

    /** Every registered route as {@code "METHOD /path/{param}"}, in registration order. */
    public List<String> routes() {
        return routes.stream().map(Route::key).toList();
    }

    /** Every registered route with its access, in registration order: what the authorization tests check. */
    List<Route> routeTable() {
        return routes;
    }

    /**
     * The methods served at a request path, for a 405's {@code Allow}: those of the routes registered for exactly that
     * path, else those of every route whose template fits it.
     */
    Set<String> allowedMethods(String requestPath) {
        // Javalin ignores one trailing slash when it matches routes; so does this.
        String path = requestPath.length() > 1 && requestPath.endsWith("/")
                ? requestPath.substring(0, requestPath.length() - 1) : requestPath;
        Set<String> exact = new TreeSet<>();
        Set<String> fitting = new TreeSet<>();
        for (Route route : routes) {
            if (route.path().equals(path)) {
                exact.addAll(route.methods());
            } else if (route.matches(path)) {
                fitting.addAll(route.methods());
            }
        }
        return exact.isEmpty() ? fitting : exact;
    }

    /** Starts serving; {@code port} 0 picks a free port. Returns the bound port. */
    public synchronized int start(int port) {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        draining.set(false);
        Javalin created = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.prefer405over404 = true;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.http.compressionStrategy = CompressionStrategy.NONE;
            c.routes.before(this::beforeEveryRequest);
            for (Route route : routes) {
                c.routes.addHttpHandler(route.method(), route.path(), ctx -> handle(route, ctx));
                if (route.method() == HandlerType.GET) {
                    // Javalin answers an unrouted HEAD itself (200, no handler run, so no authentication): HEAD
                    // runs the GET route's handler instead, and Jetty drops the body.
                    c.routes.addHttpHandler(HandlerType.HEAD, route.path(), ctx -> handle(route, ctx));
                }
            }
            for (String path : List.of(ConsoleAssets.PREFIX, ConsoleAssets.PREFIX + "/<file>")) {
                c.routes.addHttpHandler(HandlerType.GET, path, this::serveConsole);
                c.routes.addHttpHandler(HandlerType.HEAD, path, this::serveConsole);
            }
            c.routes.exception(NotFoundResponse.class, errors::handle);
            c.routes.exception(MethodNotAllowedResponse.class, (e, ctx) -> {
                ctx.header("Allow", String.join(", ", allowedMethods(ctx.path())));
                errors.handle(e, ctx);
            });
            c.routes.exception(Exception.class, errors::handle);
            c.requestLogger.http(this::logRequest);
            ServerErrorPages errorPages = new ServerErrorPages(json);
            c.jetty.modifyServer(server -> server.setErrorHandler(errorPages));
            c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errorPages));
        });
        String host = config.host() == null || config.host().isBlank() ? null : config.host();
        if (host == null) {
            created.start(port);
        } else {
            created.start(host, port);
        }
        app = created;
        if (authenticator.open()) {
            LOG.warn("no API keys are configured: serving loopback clients only (every loopback client is an admin)");
        } else {
            LOG.info("serving with {} API key(s)", config.apiKeys().size());
        }
        LOG.info("HTTP API listening on port {}", app.port());
        return app.port();
    }

    /** Stops taking new requests (503), waits for those in flight up to 10 s, then stops the server. */
    public synchronized void stop() {
        if (app == null) {
            return;
        }
        draining.set(true);
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
        app = null;
        LOG.info("HTTP API stopped");
    }

    private void beforeEveryRequest(Context ctx) {
        String requestId = requestId(ctx.header(REQUEST_ID_HEADER));
        ctx.attribute(REQUEST_ID_ATTRIBUTE, requestId);
        ctx.header(REQUEST_ID_HEADER, requestId);
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        MDC.put("request_id", requestId);
    }

    /** The caller's request id when it is safe to echo (log and header), else a fresh one. */
    static String requestId(String requested) {
        return requested != null && SAFE_REQUEST_ID.matcher(requested).matches() ? requested : UUID.randomUUID().toString();
    }

    private void handle(Route route, Context ctx) throws Exception {
        if (route.path().contains("{") && !allowedMethods(ctx.path()).contains(ctx.method().name())) {
            // A template route reached through a path that is another route's own (GET /v1/usage/batch is not the
            // usage of task "batch"): that path does not serve this method. Refused before authentication, as Javalin
            // refuses every other method a path does not serve.
            throw new MethodNotAllowedResponse();
        }
        ctx.attribute(ROUTE_ATTRIBUTE, route.path());
        if (route.sidecar()) {
            ctx.attribute(ErrorMapper.SIDECAR_ATTRIBUTE, Boolean.TRUE);
        }
        if (draining.get()) {
            throw new ApiException(503, "Service Unavailable", "the service is shutting down", List.of());
        }
        inFlight.incrementAndGet();
        try {
            Caller caller = null;
            if (route.access() != Access.PUBLIC || authenticator.open()) {
                caller = authenticator.authenticate(ctx.header("Authorization"), ctx.req().getRemoteAddr());
                ctx.attribute(CALLER_ATTRIBUTE, caller.name());
                if (!route.access().allows(caller)) {
                    throw ApiException.forbidden("this route needs a key with role " + route.access().describe()
                            + "; the key '" + caller.name() + "' has role " + caller.role().wireName()
                            + (caller.unscoped() ? "" : " scoped to subscriptions"));
                }
            }
            route.handler().handle(new Exchange(ctx, caller, route, config, json, clock));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * The console's static files: public like the operations routes (they hold no data), so loopback only when no keys
     * are configured.
     */
    private void serveConsole(Context ctx) {
        ctx.attribute(ROUTE_ATTRIBUTE, ConsoleAssets.PREFIX);
        if (authenticator.open()) {
            authenticator.authenticate(null, ctx.req().getRemoteAddr());
        }
        console.serve(ctx);
    }

    private void logRequest(Context ctx, Float millis) {
        try {
            String route = ctx.attribute(ROUTE_ATTRIBUTE);
            String caller = ctx.attribute(CALLER_ATTRIBUTE);
            int status = ctx.statusCode();
            metrics.recordRequest(ctx.method().name(), route == null ? "unmatched" : route, status,
                    Duration.ofNanos((long) (millis * 1_000_000L)));
            REQUEST_LOG.atInfo()
                    .addKeyValue("request_id", ctx.<String>attribute(REQUEST_ID_ATTRIBUTE))
                    .addKeyValue("method", ctx.method().name())
                    .addKeyValue("path", ctx.path())
                    .addKeyValue("route", route)
                    .addKeyValue("status", status)
                    .addKeyValue("duration_ms", String.format(java.util.Locale.ROOT, "%.1f", millis))
                    .addKeyValue("caller", caller)
                    .log("{} {} {} {}ms", ctx.method().name(), ctx.path(), status,
                            String.format(java.util.Locale.ROOT, "%.1f", millis));
        } finally {
            MDC.remove("request_id");
        }
    }
}
