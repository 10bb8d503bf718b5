package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one fake Azure Marketplace of the test suites: a local Metering API and Entra ID token endpoint behind
 * {@link MockWebServer}, with the Marketplace's real rules: first write wins per (resource, dimension, hour), 409 or
 * {@code Duplicate} with the accepted message on replay, {@code Expired} outside the 24 h window, at most 25 events
 * per batch. The adapter's tests drive it in process ({@link #config()}); the system tests point the real jar at it
 * ({@link #baseUrl()}, {@link #tokenUrl()} and the credentials below).
 * <p>
 * Faults are scripted ({@link #fail}, {@link #script}) or drawn from a seeded random source ({@link #failRandomly}).
 * {@link #holdResponses()} makes Metering requests wait after their events were recorded, until {@link #release()}:
 * the request landed, the answer is late or lost (the client may be killed meanwhile). Every event that arrives is
 * kept as an {@link Arrival}, so a test can count how often an hour reached "Microsoft"; requests a correct client
 * would never send are kept as {@link #problems()}.
 */
public final class FakeMarketplace extends Dispatcher implements AutoCloseable {
    public static final String TENANT = "tenant-1";
    public static final String CLIENT_ID = "client-1";
    public static final String CLIENT_SECRET = "s3cr3t-value-never-logged";
    static final String TOKEN_PATH = "/" + TENANT + "/oauth2/v2.0/token";
    private static final String MARKETPLACE_APP = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
    private static final String API_VERSION = "2018-08-31";
    /** A held request gives up after this, so a test that forgets {@link #release()} still ends. */
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(120);

    public enum Fault {
        /** 503, nothing recorded. */
        UNAVAILABLE,
        /** The event is recorded, then 503: the client cannot know it landed. */
        UNAVAILABLE_AFTER_RECORDING,
        /** 429 with Retry-After: 2. */
        THROTTLED,
        /** The event is recorded, then the connection is reset before any response. */
        RESET_AFTER_RECORDING,
        /** The connection is reset before anything is recorded. */
        RESET_BEFORE_RECORDING,
        /** The event is recorded, then the response is delayed past the client's read timeout. */
        SLOW_AFTER_RECORDING,
        /** 500, nothing recorded. */
        SERVER_ERROR
    }

    /** One HTTP request as the server saw it. */
    public record Call(String path, String apiVersion, String requestId, String correlationId, String authorization, byte[] body, String query) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the Marketplace holds for one hour key: the first accepted event. */
    public record Held(String usageEventId, BigDecimal quantity, String planId, Instant messageTime) {
    }

    /** One event as it reached the fake, and the status it was answered with. */
    public record Arrival(String key, String resourceId, String dimension, String effectiveStartTime, String planId,
                          BigDecimal quantity, String status, String requestId, String correlationId, Instant at) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    public final MockWebServer server = new MockWebServer();

    public final Map<String, Held> ledger = new ConcurrentHashMap<>();
    public final AtomicInteger tokenRequests = new AtomicInteger();
    final List<Map<String, String>> tokenForms = new CopyOnWriteArrayList<>();
    public final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
    final Deque<MockResponse> scripted = new ConcurrentLinkedDeque<>();
    final Map<String, AtomicInteger> itemErrors = new ConcurrentHashMap<>();
    final Set<String> unknownResources = ConcurrentHashMap.newKeySet();
    final Set<String> forbiddenTokens = ConcurrentHashMap.newKeySet();
    volatile boolean forbidEveryToken;
    volatile boolean expiresInAsString;
    volatile long tokenLifetimeSeconds = 3599;
    private volatile Random random;
    private volatile double faultRate;
    private volatile CountDownLatch hold;
    private volatile CountDownLatch arrivedWhileHolding = new CountDownLatch(1);
    private volatile Duration delay = Duration.ZERO;
    private final AtomicInteger tokenCounter = new AtomicInteger();
    private final AtomicInteger eventCounter = new AtomicInteger();

    /** On the wall clock: for a service in another process, which reads the wall clock too. */
    public FakeMarketplace() {
        this(Clock.systemUTC());
    }

    /** On the test's clock, which decides the 24 h window and the message times. */
    public FakeMarketplace(Clock clock) {
        this.clock = clock;
        server.setDispatcher(this);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Metering API's base URL ({@code …/api}). */
    public String baseUrl() {
        return server.url("/api").toString();
    }

    /** The token endpoint with Entra's {@code {tenant}} placeholder, as the client's configuration takes it. */
    public String tokenUrl() {
        return server.url("/{tenant}/oauth2/v2.0/token").toString().replace("%7Btenant%7D", "{tenant}");
    }

    public MarketplaceConfig.Builder config() {
        return MarketplaceConfig.builder()
                .baseUrl(baseUrl())
                .tokenUrl(tokenUrl())
                .tenantId(TENANT)
                .clientId(CLIENT_ID)
                .clientSecret(CLIENT_SECRET)
                .jitter(0.0)
                .readTimeout(Duration.ofMillis(500))
                .callTimeout(Duration.ofSeconds(5));
    }

    public void fail(Fault... scriptedFaults) {
        faults.addAll(List.of(scriptedFaults));
    }

    /** From now on each Metering request fails with probability {@code rate}, drawn from a seeded source. */
    public void failRandomly(long seed, double rate) {
        this.random = new Random(seed);
        this.faultRate = rate;
    }

    /** The next Metering request (after the token check) gets this answer, whatever it asked. */
    void script(MockResponse response) {
        scripted.add(response);
    }

    /** Metering requests from now on record their events, then wait for {@link #release()} before answering. */
    public void holdResponses() {
        arrivedWhileHolding = new CountDownLatch(1);
        hold = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** Waits until a held request has arrived (and its events are recorded). */
    public void awaitHeldArrival(Duration timeout) {
        try {
            if (!arrivedWhileHolding.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no Metering request reached the fake Marketplace within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Every Metering answer is written this long after its events were recorded (widens races between instances). */
    public void delayResponses(Duration value) {
        delay = value;
    }

    public List<Call> meteringCalls() {
        return calls.stream().filter(c -> !c.path.equals(TOKEN_PATH)).toList();
    }

    public List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Arrivals of one hour key ({@link #key}). */
    public List<Arrival> arrivals(String key) {
        return arrivals.stream().filter(a -> a.key().equals(key)).toList();
    }

    /** Requests a correct client would not send (wrong path, form, token, api-version, batch size): none, normally. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The hour key: the Marketplace compares resource ids without case and times as instants. */
    public static String key(String resource, String dimension, String hour) {
        return resource.toLowerCase() + "|" + dimension + "|" + Instant.parse(hour);
    }

    @Override
    public void close() {
        release();
        server.close();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        String requestId = request.getHeaders().get("x-ms-requestid");
        String correlationId = request.getHeaders().get("x-ms-correlationid");
        String auth = request.getHeaders().get("Authorization");
        String apiVersion = request.getUrl().queryParameter("api-version");
        calls.add(new Call(path, apiVersion, requestId, correlationId, auth, body, request.getUrl().encodedQuery()));
        try {
            if (path.equals(TOKEN_PATH)) {
                return token(new String(body, StandardCharsets.UTF_8));
            }
            if (!path.startsWith("/api/")) {
                return problem(404, "unexpected request " + request.getMethod() + " " + request.getUrl());
            }
            String token = auth == null ? "" : auth.replaceFirst("^Bearer ", "");
            boolean issuedHere = token.startsWith("token-");
            if (!issuedHere) {
                problems.add("Metering request without a token from the token endpoint: " + auth);
            }
            if (!issuedHere || forbidEveryToken || forbiddenTokens.contains(token)) {
                return json(403, "{\"message\":\"Client is not authorized for this usage resource.\","
                        + "\"code\":\"Forbidden\"}");
            }
            MockResponse scriptedResponse = scripted.poll();
            if (scriptedResponse != null) {
                return scriptedResponse;
            }
            if (path.equals("/api/usageEvents") && request.getMethod().equals("GET")) {
                return usageEvents(request.getUrl().queryParameter("usageStartDate"),
                        request.getUrl().queryParameter("UsageEndDate"));
            }
            boolean batch = path.equals("/api/batchUsageEvent");
            if (!batch && !path.equals("/api/usageEvent")) {
                return problem(404, "unexpected request " + request.getMethod() + " " + request.getUrl());
            }
            if (!API_VERSION.equals(apiVersion)) {
                return problem(400, "unexpected api-version " + apiVersion);
            }
            Fault fault = nextFault();
            if (fault == Fault.UNAVAILABLE || fault == Fault.SERVER_ERROR) {
                return json(fault == Fault.UNAVAILABLE ? 503 : 500, "{\"message\":\"try later\"}");
            }
            if (fault == Fault.THROTTLED) {
                return new MockResponse.Builder().code(429).setHeader("Retry-After", "2").body("").build();
            }
            if (fault == Fault.RESET_BEFORE_RECORDING) {
                return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
            }
            JsonNode events = json.readTree(body);
            MockResponse answer = batch ? batch(events, requestId, correlationId)
                    : single(events, requestId, correlationId);
            if (fault == Fault.UNAVAILABLE_AFTER_RECORDING) {
                return json(503, "{\"message\":\"try later\"}");
            }
            if (fault == Fault.RESET_AFTER_RECORDING) {
                return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
            }
            if (fault == Fault.SLOW_AFTER_RECORDING) {
                return answer.newBuilder().headersDelay(2, TimeUnit.SECONDS).build();
            }
            awaitRelease();
            return delay.isZero() ? answer
                    : answer.newBuilder().headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS).build();
        } catch (IOException | RuntimeException e) {
            return problem(500, "fake failed: " + e);
        }
    }

    /** Holds this answer while {@link #holdResponses()} is in force; its events are already recorded. */
    private void awaitRelease() {
        CountDownLatch h = hold;
        if (h == null) {
            return;
        }
        arrivedWhileHolding.countDown();
        try {
            h.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Fault nextFault() {
        Fault scriptedFault = faults.poll();
        if (scriptedFault != null) {
            return scriptedFault;
        }
        Random r = random;
        if (r == null) {
            return null;
        }
        synchronized (r) {
            if (r.nextDouble() >= faultRate) {
                return null;
            }
            Fault[] all = {Fault.UNAVAILABLE, Fault.UNAVAILABLE_AFTER_RECORDING, Fault.THROTTLED,
                    Fault.RESET_AFTER_RECORDING, Fault.RESET_BEFORE_RECORDING, Fault.SERVER_ERROR};
            return all[r.nextInt(all.length)];
        }
    }

    /** Client credentials, in the v2 ({@code scope}) or v1 ({@code resource}) form, for the Marketplace's app id. */
    private MockResponse token(String form) {
        tokenRequests.incrementAndGet();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        tokenForms.add(fields);
        boolean audience = (MARKETPLACE_APP + "/.default").equals(fields.get("scope"))
                || MARKETPLACE_APP.equals(fields.get("resource"));
        if (!"client_credentials".equals(fields.get("grant_type")) || !CLIENT_ID.equals(fields.get("client_id"))
                || !CLIENT_SECRET.equals(fields.get("client_secret")) || !audience) {
            problems.add("token: unexpected form " + fields.keySet());
            return json(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret\"}");
        }
        String expires = expiresInAsString ? "\"" + tokenLifetimeSeconds + "\"" : Long.toString(tokenLifetimeSeconds);
        return json(200, "{\"token_type\":\"Bearer\",\"expires_in\":" + expires + ",\"access_token\":\"token-"
                + tokenCounter.incrementAndGet() + "\"}");
    }

    private MockResponse single(JsonNode event, String requestId, String correlationId) {
        ObjectNode result = record(event, requestId, correlationId);
        String status = result.get("status").asText();
        return switch (status) {
            case "Accepted" -> json(200, result.toString());
            case "Duplicate" -> json(409, result.get("error").toString());
            case "Expired" -> json(400, "{\"message\":\"One or more errors have occurred.\",\"target\":\"usageEventRequest\","
                    + "\"code\":\"BadArgument\",\"details\":[{\"code\":\"BadArgument\",\"target\":\"effectiveStartTime\","
                    + "\"message\":\"The effective time provided is has expired or is in future.\"}]}");
            default -> json(400, "{\"message\":\"One or more errors have occurred.\",\"code\":\"BadArgument\","
                    + "\"details\":[{\"code\":\"" + status + "\",\"target\":\"resourceId\",\"message\":\"" + status + "\"}]}");
        };
    }

    private MockResponse batch(JsonNode body, String requestId, String correlationId) {
        JsonNode request = body.get("request");
        if (request == null || !request.isArray() || request.size() == 0 || request.size() > 25) {
            problems.add("batch with " + (request == null ? "no" : request.size()) + " events");
            return json(400, "{\"message\":\"One or more errors have occurred.\",\"code\":\"BadArgument\"}");
        }
        List<ObjectNode> results = new ArrayList<>();
        for (JsonNode event : request) {
            results.add(record(event, requestId, correlationId));
        }
        // the Marketplace does not promise to answer in the order it was asked
        Collections.reverse(results);
        ObjectNode answer = json.createObjectNode();
        answer.put("count", results.size());
        ArrayNode array = answer.putArray("result");
        results.forEach(array::add);
        return json(200, answer.toString());
    }

    /** Applies the Marketplace's rules to one event and keeps it as an arrival. */
    private ObjectNode record(JsonNode event, String requestId, String correlationId) {
        String resource = event.get("resourceId").asText();
        String dimension = event.get("dimension").asText();
        String hour = event.get("effectiveStartTime").asText();
        String plan = event.get("planId").asText();
        BigDecimal quantity = event.get("quantity").decimalValue();
        String key = key(resource, dimension, hour);
        ObjectNode item = answer(key, resource, dimension, hour, plan, quantity);
        arrivals.add(new Arrival(key, resource, dimension, hour, plan, quantity, item.get("status").asText(),
                requestId, correlationId, clock.instant()));
        return item;
    }

    /** The answer item echoes the event as the Marketplace does: resource id upper-cased, time without offset. */
    private ObjectNode answer(String key, String resource, String dimension, String hour, String plan,
                              BigDecimal quantity) {
        ObjectNode item = json.createObjectNode();
        item.put("resourceId", resource.toUpperCase());
        item.put("quantity", quantity);
        item.put("dimension", dimension);
        item.put("effectiveStartTime", hour.replace("Z", ""));
        item.put("planId", plan);
        AtomicInteger errors = itemErrors.get(key);
        if (errors != null && errors.getAndDecrement() > 0) {
            item.put("status", "Error");
            item.set("error", json.createObjectNode().put("code", "InternalError").put("message", "try again"));
            return item;
        }
        if (unknownResources.contains(resource)) {
            item.put("status", "ResourceNotFound");
            item.set("error", json.createObjectNode().put("code", "ResourceNotFound").put("message", "no such resource"));
            return item;
        }
        Instant start = Instant.parse(hour);
        Instant now = clock.instant();
        if (start.isBefore(now.minus(Duration.ofHours(24))) || start.isAfter(now)) {
            item.put("status", "Expired");
            item.set("error", json.createObjectNode().put("code", "BadArgument")
                    .put("target", "effectiveStartTime").put("message", "expired"));
            return item;
        }
        Held fresh = new Held("evt-" + eventCounter.incrementAndGet(), quantity, plan, now);
        Held held = ledger.putIfAbsent(key, fresh);
        if (held == null) {
            item.put("status", "Accepted");
            item.put("usageEventId", fresh.usageEventId());
            item.put("messageTime", fresh.messageTime().toString());
            return item;
        }
        item.put("status", "Duplicate");
        ObjectNode accepted = json.createObjectNode();
        accepted.put("usageEventId", held.usageEventId());
        accepted.put("status", "Duplicate");
        accepted.put("messageTime", held.messageTime().toString());
        accepted.put("resourceId", resource);
        accepted.put("quantity", held.quantity());
        accepted.put("dimension", dimension);
        accepted.put("effectiveStartTime", hour);
        accepted.put("planId", held.planId());
        ObjectNode error = json.createObjectNode();
        error.set("additionalInfo", json.createObjectNode().set("acceptedMessage", accepted));
        error.put("message", "This usage event already exist.");
        error.put("code", "Conflict");
        item.set("error", error);
        return item;
    }

    /**
     * {@code GET /usageEvents}: one row per hour held in {@link #ledger} from the start date (inclusive) to the end
     * date (exclusive), as the Marketplace reports them (resource id upper-cased, time without offset). A test that
     * changes or removes a held hour changes what is reported.
     */
    private MockResponse usageEvents(String startDate, String endDate) {
        Instant from = LocalDate.parse(startDate).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = LocalDate.parse(endDate).atStartOfDay(ZoneOffset.UTC).toInstant();
        var rows = json.createArrayNode();
        new TreeMap<>(ledger).forEach((key, held) -> {
            String[] parts = key.split("\\|");
            Instant hour = Instant.parse(parts[2]);
            if (!hour.isBefore(from) && hour.isBefore(to)) {
                ObjectNode row = rows.addObject();
                row.put("usageDate", hour.toString().replace("Z", ""));
                row.put("usageResourceId", parts[0].toUpperCase());
                row.put("dimension", parts[1]);
                row.put("planId", held.planId());
                row.put("submittedQuantity", held.quantity());
                row.put("processedQuantity", held.quantity());
                row.put("reconStatus", "Accepted");
            }
        });
        return json(200, json.createObjectNode().set("value", rows).toString());
    }

    private MockResponse problem(int code, String problem) {
        problems.add(problem);
        return json(code, "{\"message\":" + json.valueToTree(problem) + "}");
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
