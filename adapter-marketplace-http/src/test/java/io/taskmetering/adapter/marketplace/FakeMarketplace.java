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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Metering API and Entra token endpoint behind {@link MockWebServer}, with the Marketplace's real rules: first
 * write wins per (resource, dimension, hour), 409/Duplicate with the accepted message on replay, Expired outside the
 * 24 h window, at most 25 per batch. Faults are scripted ({@link #fail}) or drawn from a seeded random source.
 */
public final class FakeMarketplace extends Dispatcher {
    static final String TOKEN_PATH = "/tenant-1/oauth2/v2.0/token";

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

    /** What the Marketplace holds for one hour key. */
    public record Held(String usageEventId, String quantity, String planId, Instant messageTime) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    public final MockWebServer server = new MockWebServer();

    public final Map<String, Held> ledger = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
    public final AtomicInteger tokenRequests = new AtomicInteger();
    final List<Map<String, String>> tokenForms = new CopyOnWriteArrayList<>();
    public final List<Call> calls = new CopyOnWriteArrayList<>();
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
    private final AtomicInteger tokenCounter = new AtomicInteger();
    private final AtomicInteger eventCounter = new AtomicInteger();

    public FakeMarketplace(Clock clock) throws IOException {
        this.clock = clock;
        server.setDispatcher(this);
        server.start();
    }

    public String baseUrl() {
        String url = server.url("/api").toString();
        return url;
    }

    public String tokenUrl() {
        return server.url("/{tenant}/oauth2/v2.0/token").toString().replace("%7Btenant%7D", "{tenant}");
    }

    public MarketplaceConfig.Builder config() {
        return MarketplaceConfig.builder()
                .baseUrl(baseUrl())
                .tokenUrl(tokenUrl())
                .tenantId("tenant-1")
                .clientId("client-1")
                .clientSecret("s3cr3t-value-never-logged")
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

    void script(MockResponse response) {
        scripted.add(response);
    }

    public List<Call> meteringCalls() {
        return calls.stream().filter(c -> !c.path.endsWith("/token")).toList();
    }

    public static String key(String resource, String dimension, String hour) {
        return resource.toLowerCase() + "|" + dimension + "|" + Instant.parse(hour);
    }

    public void stop() throws IOException {
        server.close();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        calls.add(new Call(path, request.getUrl().queryParameter("api-version"), request.getHeaders().get("x-ms-requestid"), request.getHeaders().get("x-ms-correlationid"),
                request.getHeaders().get("Authorization"), body,
                request.getUrl().encodedQuery()));
        try {
            if (path.endsWith("/token")) {
                return token(new String(body, StandardCharsets.UTF_8));
            }
            String auth = request.getHeaders().get("Authorization");
            String token = auth == null ? "" : auth.replaceFirst("^Bearer ", "");
            if (forbidEveryToken || forbiddenTokens.contains(token) || !token.startsWith("token-")) {
                return json(403, "{\"message\":\"Client is not authorized for this usage resource.\",\"code\":\"Forbidden\"}");
            }
            MockResponse scriptedResponse = scripted.poll();
            if (scriptedResponse != null) {
                return scriptedResponse;
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
            MockResponse answer;
            if (path.endsWith("/batchUsageEvent")) {
                answer = batch(json.readTree(body));
            } else if (path.endsWith("/usageEvent")) {
                answer = single(json.readTree(body));
            } else {
                return json(404, "{\"message\":\"no such route\"}");
            }
            if (fault == Fault.UNAVAILABLE_AFTER_RECORDING) {
                return json(503, "{\"message\":\"try later\"}");
            }
            if (fault == Fault.RESET_AFTER_RECORDING) {
                return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
            }
            if (fault == Fault.SLOW_AFTER_RECORDING) {
                return answer.newBuilder().headersDelay(2, TimeUnit.SECONDS).build();
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            return json(500, "{\"message\":\"fake failed: " + e + "\"}");
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

    private MockResponse token(String form) {
        tokenRequests.incrementAndGet();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        tokenForms.add(fields);
        if (!"s3cr3t-value-never-logged".equals(fields.get("client_secret"))) {
            return json(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret\"}");
        }
        String expires = expiresInAsString ? "\"" + tokenLifetimeSeconds + "\"" : Long.toString(tokenLifetimeSeconds);
        return json(200, "{\"token_type\":\"Bearer\",\"expires_in\":" + expires + ",\"access_token\":\"token-"
                + tokenCounter.incrementAndGet() + "\"}");
    }

    private MockResponse single(JsonNode event) {
        ObjectNode result = record(event);
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

    private MockResponse batch(JsonNode body) {
        JsonNode request = body.get("request");
        if (request == null || !request.isArray() || request.size() == 0 || request.size() > 25) {
            return json(400, "{\"message\":\"One or more errors have occurred.\",\"code\":\"BadArgument\"}");
        }
        List<ObjectNode> results = new ArrayList<>();
        for (JsonNode event : request) {
            results.add(record(event));
        }
        Collections.reverse(results);
        ObjectNode answer = json.createObjectNode();
        answer.put("count", results.size());
        ArrayNode array = answer.putArray("result");
        results.forEach(array::add);
        return json(200, answer.toString());
    }

    /** Applies the Marketplace's rules to one event; the answer item echoes the event (time without offset). */
    private ObjectNode record(JsonNode event) {
        String resource = event.get("resourceId").asText();
        String dimension = event.get("dimension").asText();
        String hour = event.get("effectiveStartTime").asText();
        String plan = event.get("planId").asText();
        String quantity = event.get("quantity").asText();
        String key = key(resource, dimension, hour);
        ObjectNode item = json.createObjectNode();
        item.put("resourceId", resource.toUpperCase());
        item.put("quantity", event.get("quantity").decimalValue());
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
            writes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
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
        accepted.put("quantity", new java.math.BigDecimal(held.quantity()));
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

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
