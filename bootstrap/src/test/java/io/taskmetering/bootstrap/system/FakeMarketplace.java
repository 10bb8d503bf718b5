package io.taskmetering.bootstrap.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Azure Marketplace Metering API and the Entra ID token endpoint, over real HTTP
 * ({@code com.sun.net.httpserver}), with the shapes of {@code reference/marketplace-metering-api.md}:
 * <ul>
 *   <li>{@code POST /token/{tenant}/oauth2/v2.0/token}: client-credentials form → {@code access_token, expires_in};</li>
 *   <li>{@code POST /api/batchUsageEvent?api-version=2018-08-31}: {@code {"request":[…]}} → {@code {count, result}};
 *       first write wins per (resourceId, dimension, hour): a later event for the same key is answered
 *       {@code Duplicate} with the held event under {@code error.additionalInfo.acceptedMessage};
 *       {@code effectiveStartTime} outside the last 24 h is {@code Expired}.</li>
 * </ul>
 * Every arrival is recorded, so tests can count how often each hour reached "Microsoft". {@link #holdResponses()}
 * makes the next batch requests wait <em>after</em> the events were recorded and before the answer is written (the
 * request landed, the answer is late or lost), until {@link #release()}.
 */
final class FakeMarketplace implements AutoCloseable {
    static final String TENANT = "contoso-tenant";
    static final String CLIENT_ID = "contoso-client";
    static final String CLIENT_SECRET = "contoso-secret-value";

    /** One event as it reached the fake, and how it was answered. */
    record Arrival(String key, String resourceId, String dimension, String effectiveStartTime, String planId,
                   BigDecimal quantity, String status, String requestId, String correlationId, Instant at) {
    }

    /** What the fake holds for an hour key: the first accepted event. */
    record Held(String usageEventId, String resourceId, String dimension, String effectiveStartTime, String planId,
                BigDecimal quantity, String messageTime) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-marketplace");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger batchRequests = new AtomicInteger();
    private volatile CountDownLatch hold;
    private volatile CountDownLatch arrivedWhileHolding = new CountDownLatch(1);
    private volatile Duration delay = Duration.ZERO;

    FakeMarketplace() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/token/", this::token);
        server.createContext("/api/batchUsageEvent", this::batch);
        server.createContext("/", exchange -> {
            problems.add("unexpected request " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
            respond(exchange, 404, Map.of("message", "not found", "code", "NotFound"));
        });
        server.start();
    }

    /** The {@code METERING_MARKETPLACE_*} settings that point the service at this fake. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("METERING_MARKETPLACE_MODE", "live");
        env.put("METERING_MARKETPLACE_BASE_URL", baseUrl() + "/api");
        env.put("METERING_MARKETPLACE_TOKEN_URL", baseUrl() + "/token/{tenant}/oauth2/v2.0/token");
        env.put("METERING_MARKETPLACE_TENANT_ID", TENANT);
        env.put("METERING_MARKETPLACE_CLIENT_ID", CLIENT_ID);
        env.put("METERING_MARKETPLACE_CLIENT_SECRET", CLIENT_SECRET);
        return env;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Batch requests from now on record their events, then wait for {@link #release()} before answering. */
    void holdResponses() {
        arrivedWhileHolding = new CountDownLatch(1);
        hold = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** Every batch request waits this long after recording its events (widens races between instances). */
    void delayResponses(Duration value) {
        delay = value;
    }

    /** Waits until a held batch request has arrived (and its events are recorded). */
    void awaitHeldArrival(Duration timeout) {
        try {
            if (!arrivedWhileHolding.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no batch request reached the fake Marketplace within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Arrivals of one hour key ({@link #key}). */
    List<Arrival> arrivals(String key) {
        return arrivals.stream().filter(a -> a.key().equals(key)).toList();
    }

    Map<String, Held> held() {
        return Map.copyOf(held);
    }

    int tokensIssued() {
        return tokensIssued.get();
    }

    int batchRequests() {
        return batchRequests.get();
    }

    /** Requests the fake could not make sense of (wrong path, missing token, bad body): should stay empty. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    static String key(String resourceId, String dimension, String effectiveStartTime) {
        return resourceId + "|" + dimension + "|" + effectiveStartTime;
    }

    private void token(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"POST".equals(exchange.getRequestMethod()) || !path.equals("/token/" + TENANT + "/oauth2/v2.0/token")) {
            problems.add("token: unexpected " + exchange.getRequestMethod() + " " + path);
            respond(exchange, 404, Map.of("error", "not_found"));
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type")) || !CLIENT_ID.equals(form.get("client_id"))
                || !CLIENT_SECRET.equals(form.get("client_secret"))
                || !"20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default".equals(form.get("scope"))) {
            problems.add("token: unexpected form " + form.keySet());
            respond(exchange, 401, Map.of("error", "invalid_client"));
            return;
        }
        int n = tokensIssued.incrementAndGet();
        respond(exchange, 200, Map.of("token_type", "Bearer", "expires_in", 3599, "access_token", "fake-token-" + n));
    }

    @SuppressWarnings("unchecked")
    private void batch(HttpExchange exchange) throws IOException {
        batchRequests.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer fake-token-")) {
            problems.add("batch without a token from the token endpoint: " + auth);
            respond(exchange, 403, Map.of("message", "Client is not authorized for this usage resource.", "code", "Forbidden"));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())
                || !"api-version=2018-08-31".equals(exchange.getRequestURI().getRawQuery())) {
            problems.add("batch: unexpected " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
            respond(exchange, 400, Map.of("message", "bad api-version", "code", "BadArgument"));
            return;
        }
        String requestId = exchange.getRequestHeaders().getFirst("x-ms-requestid");
        String correlationId = exchange.getRequestHeaders().getFirst("x-ms-correlationid");
        Map<String, Object> body = (Map<String, Object>) Json.parse(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        List<Map<String, Object>> events = (List<Map<String, Object>>) body.get("request");
        if (events == null || events.isEmpty() || events.size() > 25) {
            problems.add("batch with " + (events == null ? "no" : events.size()) + " events");
            respond(exchange, 400, Map.of("message", "One or more errors have occurred.", "code", "BadArgument"));
            return;
        }
        List<Object> results = new ArrayList<>();
        Instant now = Instant.now();
        for (Map<String, Object> event : events) {
            results.add(answer(event, now, requestId, correlationId));
        }
        CountDownLatch h = hold;
        if (h != null) {
            arrivedWhileHolding.countDown();
            try {
                h.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (!delay.isZero()) {
            ServiceProcess.pause(delay.toMillis());
        }
        respond(exchange, 200, Map.of("count", results.size(), "result", results));
    }

    private Map<String, Object> answer(Map<String, Object> event, Instant now, String requestId, String correlationId) {
        String resourceId = (String) event.get("resourceId");
        String dimension = (String) event.get("dimension");
        String start = (String) event.get("effectiveStartTime");
        String planId = (String) event.get("planId");
        BigDecimal quantity = new BigDecimal(event.get("quantity").toString());
        String key = key(resourceId, dimension, start);
        Map<String, Object> item = new LinkedHashMap<>(event);
        Instant startTime = Instant.parse(start);
        String status;
        if (startTime.isAfter(now) || startTime.isBefore(now.minus(Duration.ofHours(24)))) {
            status = "Expired";
            item.put("status", status);
            item.put("error", Map.of("code", "BadArgument", "target", "effectiveStartTime",
                    "message", "The effective time provided is has expired or is in future."));
        } else {
            Held fresh = new Held(UUID.randomUUID().toString(), resourceId, dimension, start, planId, quantity,
                    now.toString());
            Held first = held.putIfAbsent(key, fresh);
            if (first == null) {
                status = "Accepted";
                item.put("status", status);
                item.put("usageEventId", fresh.usageEventId());
                item.put("messageTime", fresh.messageTime());
            } else {
                status = "Duplicate";
                Map<String, Object> accepted = new LinkedHashMap<>();
                accepted.put("usageEventId", first.usageEventId());
                accepted.put("status", "Duplicate");
                accepted.put("messageTime", first.messageTime());
                accepted.put("resourceId", first.resourceId());
                accepted.put("quantity", first.quantity());
                accepted.put("dimension", first.dimension());
                accepted.put("effectiveStartTime", first.effectiveStartTime());
                accepted.put("planId", first.planId());
                item.put("status", status);
                item.put("error", Map.of("additionalInfo", Map.of("acceptedMessage", accepted),
                        "message", "This usage event already exist.", "code", "Conflict"));
            }
        }
        arrivals.add(new Arrival(key, resourceId, dimension, start, planId, quantity, status, requestId, correlationId, now));
        return item;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // the client is gone (killed while we held the answer): the event was recorded all the same
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
