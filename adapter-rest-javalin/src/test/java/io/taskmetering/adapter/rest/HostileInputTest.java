package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskmetering.adapter.rest.OpenApiOperations.Field;
import io.taskmetering.adapter.rest.OpenApiOperations.Operation;
import io.taskmetering.adapter.rest.OpenApiOperations.Parameter;
import io.taskmetering.domain.evaluation.ContractConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input on every operation of the OpenAPI document, generated from it: for each body field (nested objects,
 * arrays and maps included), each query and path parameter, and each body as a whole, one named test per mutation
 * of an otherwise valid request. What the schema forbids (required, nullable, type, enum, minLength, maxLength,
 * pattern, minimum, maximum, minItems, maxItems, additionalProperties, date-time) must be refused with a 4xx in the
 * route's error dialect naming the field, without internals, without a row written, and leaving the service healthy;
 * what the schema allows must not be refused for that field. A route without an entry in {@link #VALID} (or not in
 * the document) fails {@link #every_route_is_covered()}.
 */
class HostileInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SUB = "sub-hostile";
    /** Package-qualified Java names, exception names and stack frames: never in an answer. */
    private static final Pattern INTERNALS = Pattern.compile(
            "[a-z]+\\.[a-z]+\\.[A-Z]|Exception|\\bat (io|java|org|com)\\.|\\tat |Jackson|JsonNode");
    /** Marks the string whose UTF-8 bytes a case replaces by invalid ones. */
    private static final String BAD_UTF8_MARK = "\uE000bad\uE000";
    /** Marks the field a case writes twice. */
    private static final String DUPLICATE_MARK = "\uE001duplicate\uE001";
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @RegisterExtension
    static final TestApp app = new TestApp();

    /** Ids of charges in the state each charge-changing route needs, made once. */
    private static final Map<String, String> CHARGE_FOR = new LinkedHashMap<>();
    private static final String USAGE_TASK = "hostile-usage-task";
    /** A day reconciled before the cases run, so that reading it back is a valid request. */
    private static final String RECONCILED_DAY = "2026-03-01";

    // ---- valid requests, one per operation ---------------------------------------------------------------------

    private static Map<String, Object> outcome(String u, boolean withUsage) {
        Map<String, Object> trace = Bodies.map("span_id", "s1", "parent_span_id", "s0", "tool_name", "search",
                "status", "ok", "started_at", "2026-03-02T10:00:00Z", "ended_at", "2026-03-02T10:00:01Z");
        Map<String, Object> body = Bodies.map("task_id", "task-" + u, "agent_id", "agent-1", "subscription_ref", SUB,
                "correlation_id", "corr-" + u, "occurred_at", "2026-03-02T10:10:00Z", "workflow_id", "wf-1",
                "agent_version", "1.0", "dimension", "task_completed", "plan_id", "plan-basic",
                "evidence", Bodies.map("outputs", Bodies.map("terminal_success", true), "traces", List.of(trace),
                        "scores", Bodies.map("x", 0.9), "query", "q", "response", "r"));
        if (withUsage) {
            body.put("usage", Bodies.map("tokens_in", 1, "tokens_out", 1, "duration_ms", 1, "api_calls", 1));
        }
        return body;
    }

    private static Map<String, Object> sidecar(String u) {
        Map<String, Object> body = outcome(u, false);
        body.keySet().retainAll(Set.of("task_id", "agent_id", "subscription_ref", "correlation_id", "evidence"));
        return body;
    }

    private static Map<String, Object> usageRecord(String u) {
        return Bodies.usage("usage-" + u, SUB, "2026-03-02T10:00:00Z");
    }

    /** An OTLP JSON export of one agent span of {@link #SUB}, its trace id made from {@code u}. */
    private static Map<String, Object> otlpExport(String u) {
        String trace = String.format("%032x", Math.abs((long) u.hashCode()) + 1);
        Map<String, Object> attribute = Bodies.map("key", "gen_ai.operation.name",
                "value", Bodies.map("stringValue", "invoke_agent"));
        Map<String, Object> span = Bodies.map("traceId", trace, "spanId", "00000000000000a1",
                "parentSpanId", "", "name", "invoke_agent hostile", "kind", 1, "flags", 256,
                "startTimeUnixNano", "1772445600000000000", "endTimeUnixNano", 1772445601000000000L,
                "attributes", List.of(attribute, Bodies.map("key", "metering.subscription_ref",
                        "value", Bodies.map("stringValue", SUB))),
                "events", List.of(Bodies.map("name", "gen_ai.evaluation.result", "timeUnixNano", "1772445601000000000",
                        "attributes", List.of(Bodies.map("key", "gen_ai.evaluation.name",
                                "value", Bodies.map("stringValue", "IntentResolution"))))),
                "links", List.of(Bodies.map("traceId", trace, "spanId", "00000000000000b2")),
                "status", Bodies.map("code", 0));
        return Bodies.map("resourceSpans", List.of(Bodies.map(
                "resource", Bodies.map("attributes", List.of(Bodies.map("key", "service.name",
                        "value", Bodies.map("stringValue", "hostile-agent")))),
                "scopeSpans", List.of(Bodies.map("spans", List.of(span))))));
    }

    /** A valid body of each operation that takes one, fresh ids per call ({@code u}). */
    static final Map<String, Function<String, Map<String, Object>>> VALID = Map.ofEntries(
            Map.entry("POST /v1/outcomes", u -> outcome(u, true)),
            Map.entry("POST /v1/outcomes/batch", u -> Bodies.map("outcomes", List.of(outcome(u, true)))),
            Map.entry("POST /v1/evaluations", u -> outcome(u, false)),
            Map.entry("POST /v1/reviews/{correlation_id}/approve", u -> Bodies.map("note", "ok")),
            Map.entry("POST /v1/reviews/{correlation_id}/reject", u -> Bodies.map("note", "no")),
            Map.entry("POST /v1/charges/{correlation_id}/dispute", u -> Bodies.map("reason", "not delivered")),
            Map.entry("POST /v1/charges/{correlation_id}/resolve", u -> Bodies.map("decision", "uphold", "note", "ok")),
            Map.entry("POST /v1/usage-events/submit", u -> Bodies.map()),
            Map.entry("POST /v1/usage", HostileInputTest::usageRecord),
            Map.entry("POST /v1/usage/batch", u -> Bodies.map("events", List.of(usageRecord(u)))),
            Map.entry("POST /v1/usage/validate", HostileInputTest::usageRecord),
            Map.entry("POST /v1/usage/purge", u -> Bodies.map()),
            Map.entry("POST /v1/contracts", u -> Bodies.map("version", "hostile-" + u,
                    "required_output_keys", List.of("summary"), "require_approval", true)),
            Map.entry("POST /v1/contracts/{version}/activate",
                    u -> Bodies.map("effective_from", "2026-04-01T00:00:00Z", "subscription_ref", SUB)),
            Map.entry("POST /v1/contracts/{version}/shadow", u -> Bodies.map("subscription_ref", SUB)),
            Map.entry("POST /v1/replays", u -> Bodies.map("contract_version", "as_recorded",
                    "from", "2026-03-01T00:00:00Z", "to", "2026-03-03T00:00:00Z", "subscription_ref", SUB,
                    "limit", 10)),
            Map.entry("POST /v1/reconciliations", u -> Bodies.map("day", RECONCILED_DAY)),
            Map.entry("POST /v1/traces", HostileInputTest::otlpExport),
            Map.entry("POST /evaluate", HostileInputTest::sidecar),
            Map.entry("POST /evaluate_intent_handling", HostileInputTest::sidecar),
            Map.entry("POST /evaluate_task_adherence", HostileInputTest::sidecar),
            Map.entry("POST /record_task_completed", HostileInputTest::sidecar),
            Map.entry("POST /evaluate_and_meter_task", HostileInputTest::sidecar));

    @BeforeAll
    static void makeChargesAndUsage() {
        assertThat(app.post("/v1/reconciliations", ADMIN, TestApp.json(Bodies.map("day", RECONCILED_DAY))).status())
                .isEqualTo(201);
        CHARGE_FOR.put("/v1/reviews/{correlation_id}/approve", held("approve"));
        CHARGE_FOR.put("/v1/reviews/{correlation_id}/reject", held("reject"));
        CHARGE_FOR.put("/v1/charges/{correlation_id}/dispute", charged("dispute"));
        String disputed = charged("resolve");
        assertThat(app.post("/v1/charges/" + disputed + "/dispute", ADMIN, TestApp.json(Bodies.map("reason", "r")))
                .status()).isEqualTo(200);
        CHARGE_FOR.put("/v1/charges/{correlation_id}/resolve", disputed);
        assertThat(app.post("/v1/usage", ADMIN, TestApp.json(Bodies.usage(USAGE_TASK, SUB, "2026-03-02T10:00:00Z")))
                .status()).isEqualTo(201);
    }

    private static String held(String name) {
        Map<String, Object> body = Bodies.with(Bodies.heldOutcome("held-" + name, SUB), "correlation_id", "held-" + name);
        assertThat(app.post("/v1/outcomes", ADMIN, TestApp.json(body)).json().path("charge_state").asText())
                .isEqualTo("PENDING_REVIEW");
        return "held-" + name;
    }

    private static String charged(String name) {
        Map<String, Object> body = Bodies.with(Bodies.outcome("charged-" + name, SUB), "correlation_id", "charged-" + name);
        assertThat(app.post("/v1/outcomes", ADMIN, TestApp.json(body)).json().path("charge_state").asText())
                .isEqualTo("QUALIFIED");
        return "charged-" + name;
    }

    /** The path with each path parameter set to a value that exists (or {@code override} for {@code name}). */
    private static String path(Operation op, String name, String override) {
        String path = op.path();
        for (Parameter p : op.parameters("path")) {
            String value = p.name().equals(name) ? override : validPathValue(op, p);
            path = path.replace("{" + p.name() + "}", value);
        }
        return path;
    }

    private static String validPathValue(Operation op, Parameter p) {
        return switch (p.name()) {
            case "correlation_id" -> CHARGE_FOR.getOrDefault(op.path(), "held-approve");
            case "task_id" -> USAGE_TASK;
            case "version" -> ContractConfig.defaults().version();
            default -> throw new AssertionError(op + ": no valid value known for path parameter " + p.name()
                    + "; add one to HostileInputTest.validPathValue");
        };
    }

    /** A valid value of a query parameter, from its schema. */
    private static String validQueryValue(Parameter p) {
        JsonNode s = p.schema();
        if (s.has("enum")) {
            return s.path("enum").get(0).asText();
        }
        if (s.path("type").asText().equals("integer")) {
            return s.has("default") ? s.path("default").asText() : s.path("minimum").asText("1");
        }
        if (s.path("format").asText().equals("date-time")) {
            return "2026-03-01T00:00:00Z";
        }
        if (s.path("format").asText().equals("date")) {
            return RECONCILED_DAY;
        }
        return "x";
    }

    private static String requiredQuery(Operation op, String except) {
        StringBuilder query = new StringBuilder();
        for (Parameter p : op.parameters("query")) {
            if (p.required() && !p.name().equals(except)) {
                query.append(query.isEmpty() ? "" : "&").append(p.name()).append('=').append(validQueryValue(p));
            }
        }
        return query.toString();
    }

    // ---- cases ------------------------------------------------------------------------------------------------

    private static final String OVER_LIMIT = "body: over the size limit";

    /** One request and what must come of it; {@code field} null when the refusal concerns no one field. */
    record Case(String name, String method, String path, String contentType, byte[] body, boolean refused,
                String field) {
    }

    @TestFactory
    List<DynamicNode> hostile_input_on_every_operation() {
        List<DynamicNode> containers = new ArrayList<>();
        for (Operation op : OpenApiOperations.all()) {
            List<Case> cases = casesOf(op);
            containers.add(DynamicContainer.dynamicContainer(op.key(), cases.stream()
                    .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(op, c)))));
        }
        return containers;
    }

    /** Every registered route is in the document, and the generator made cases for each operation there. */
    @Test
    void every_route_is_covered() {
        Set<String> registered = new TreeSet<>(app.api.routes());
        Set<String> documented = OpenApiOperations.keys();
        Set<String> undocumented = new TreeSet<>(registered);
        undocumented.removeAll(documented);
        assertThat(undocumented).as("routes registered in RestApi but missing from openapi.yaml").isEmpty();
        Set<String> unregistered = new TreeSet<>(documented);
        unregistered.removeAll(registered);
        assertThat(unregistered).as("operations in openapi.yaml that RestApi does not register").isEmpty();
        Set<String> uncovered = new TreeSet<>();
        for (Operation op : OpenApiOperations.all()) {
            if (casesOf(op).isEmpty()) {
                uncovered.add(op.key());
            }
        }
        assertThat(uncovered).as("operations without hostile-input cases").isEmpty();
    }

    private static List<Case> casesOf(Operation op) {
        List<Case> cases = new ArrayList<>();
        queryCases(op, cases);
        pathCases(op, cases);
        if (op.hasBody()) {
            bodyCases(op, cases);
        }
        return cases;
    }

    private static void queryCases(Operation op, List<Case> cases) {
        String method = op.method();
        String base = path(op, null, null);
        String required = requiredQuery(op, null);
        String prefix = base + "?" + (required.isEmpty() ? "" : required + "&");
        // sidecar routes accept and ignore any query string, as the original did
        boolean strict = !op.sidecar();
        if (method.equals("GET")) {
            cases.add(new Case("valid request", method, base + (required.isEmpty() ? "" : "?" + required), null, null,
                    false, null));
        }
        cases.add(new Case("query: unknown parameter", method, prefix + "no_such_param=1", null, null, strict,
                "no_such_param"));
        for (Parameter p : op.parameters("query")) {
            String name = p.name();
            String others = requiredQuery(op, name);
            String q = base + "?" + (others.isEmpty() ? "" : others + "&") + name + "=";
            String valid = validQueryValue(p);
            JsonNode s = p.schema();
            if (p.required()) {
                cases.add(new Case("query " + name + ": missing", method, base + (others.isEmpty() ? "" : "?" + others),
                        null, null, true, name));
            }
            cases.add(new Case("query " + name + ": undecodable %zz", method, q + "a%zz", null, null, true, name));
            cases.add(new Case("query " + name + ": invalid UTF-8", method, q + "%C3%28", null, null, true, name));
            cases.add(new Case("query " + name + ": NUL", method, q + "a%00b", null, null, true, name));
            cases.add(new Case("query " + name + ": control character", method, q + "a%07b", null, null, true, name));
            cases.add(new Case("query " + name + ": repeated", method, q + valid + "&" + name + "=" + valid, null, null,
                    true, name));
            cases.add(new Case("query " + name + ": empty", method, q, null, null, true, name));
            if (s.has("enum")) {
                cases.add(new Case("query " + name + ": unknown enum value", method, q + "NO_SUCH_VALUE", null, null,
                        true, name));
            }
            switch (s.path("type").asText()) {
                case "integer" -> {
                    cases.add(new Case("query " + name + ": not an integer", method, q + "abc", null, null, true, name));
                    cases.add(new Case("query " + name + ": 2^63", method, q + "9223372036854775808", null, null, true,
                            name));
                    cases.add(new Case("query " + name + ": 1e400", method, q + "1e400", null, null, true, name));
                    cases.add(new Case("query " + name + ": -1", method, q + "-1", null, null,
                            s.has("minimum") && s.path("minimum").asLong() >= 0, name));
                    if (s.has("minimum")) {
                        cases.add(new Case("query " + name + ": below minimum", method,
                                q + (s.path("minimum").asLong() - 1), null, null, true, name));
                    }
                    if (s.has("maximum")) {
                        cases.add(new Case("query " + name + ": above maximum", method,
                                q + (s.path("maximum").asLong() + 1), null, null, true, name));
                        cases.add(new Case("query " + name + ": at maximum", method, q + s.path("maximum").asLong(),
                                null, null, false, name));
                    }
                }
                case "string" -> {
                    if (s.path("format").asText().equals("date-time")) {
                        for (Map.Entry<String, String> t : BAD_TIMESTAMPS.entrySet()) {
                            cases.add(new Case("query " + name + ": " + t.getKey(), method,
                                    q + URLEncoder.encode(t.getValue(), StandardCharsets.UTF_8), null, null, true, name));
                        }
                    } else if (!s.has("enum")) {
                        int max = maxLength(op, name, s);
                        cases.add(new Case("query " + name + ": over maxLength", method, q + "a".repeat(max + 1), null,
                                null, true, name));
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void pathCases(Operation op, List<Case> cases) {
        for (Parameter p : op.parameters("path")) {
            String name = p.name();
            int max = maxLength(op, name, p.schema());
            Map<String, String> values = new LinkedHashMap<>();
            values.put("over maxLength", "a".repeat(max + 1));
            values.put("undecodable %zz", "a%zz");
            values.put("invalid UTF-8", "%C3%28");
            values.put("NUL", "a%00b");
            values.put("control character", "a%07b");
            values.put("blank", "%20%20");
            for (Map.Entry<String, String> v : values.entrySet()) {
                cases.add(new Case("path " + name + ": " + v.getKey(), op.method(), path(op, name, v.getValue()),
                        op.hasBody() ? "application/json" : null, op.hasBody() ? validBody(op) : null, true, name));
            }
        }
    }

    private static final Map<String, String> BAD_TIMESTAMPS = orderedMap(
            "year 0", "0000-01-01T00:00:00Z",
            "year -999999999", "-999999999-01-01T00:00:00Z",
            "year 10000", "+10000-01-01T00:00:00Z",
            "before 2000", "1999-12-31T23:59:59Z",
            "without zone", "2026-03-02T10:00:00",
            "not a timestamp", "yesterday");

    private static Map<String, String> orderedMap(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static byte[] validBody(Operation op) {
        return bytes(body(op));
    }

    private static ObjectNode body(Operation op) {
        Function<String, Map<String, Object>> valid = VALID.get(op.key());
        if (valid == null) {
            throw new AssertionError(op + " takes a body but HostileInputTest.VALID has no valid body for it");
        }
        return MAPPER.valueToTree(valid.apply("h" + UNIQUE.incrementAndGet()));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void bodyCases(Operation op, List<Case> cases) {
        String method = op.method();
        String path = path(op, null, null);
        String json = "application/json";
        boolean sidecar = op.sidecar();
        String bodyField = sidecar ? null : "body";
        cases.add(new Case("body: valid", method, path, json, validBody(op), false, null));
        cases.add(new Case("body: empty", method, path, json, new byte[0], op.bodyRequired(), bodyField));
        cases.add(new Case("body: JSON array", method, path, json, utf8("[]"), true, bodyField));
        cases.add(new Case("body: JSON null", method, path, json, utf8("null"), true, bodyField));
        byte[] valid = validBody(op);
        cases.add(new Case("body: truncated", method, path, json, java.util.Arrays.copyOf(valid, valid.length - 1),
                true, bodyField));
        cases.add(new Case("body: trailing content", method, path, json, utf8(new String(valid, StandardCharsets.UTF_8)
                + " {}"), true, bodyField));
        cases.add(new Case("body: nested 10000 deep", method, path, json,
                utf8("[".repeat(10_000) + "]".repeat(10_000)), true, bodyField));
        cases.add(new Case("body: NaN", method, path, json, utf8("{\"x\": NaN}"), true, bodyField));
        cases.add(new Case("body: key over 1000 characters", method, path, json,
                utf8("{\"" + "k".repeat(Json.MAX_KEY_LENGTH + 1) + "\": 1}"), true, bodyField));
        cases.add(new Case("body: number over 1000 digits", method, path, json,
                utf8("{\"x\": " + "9".repeat(Json.MAX_NUMBER_DIGITS + 1) + "}"), true, bodyField));
        if (sidecar) {
            // the sidecar takes any content type, as the original did: a form is refused as not JSON
            cases.add(new Case("body: form media type", method, path, "application/x-www-form-urlencoded",
                    utf8("task_id=a&agent_id=b"), true, null));
        } else {
            cases.add(new Case("body: text/plain media type", method, path, "text/plain", validBody(op), true,
                    "Content-Type"));
            cases.add(new Case("body: form media type", method, path, "application/x-www-form-urlencoded",
                    utf8("task_id=a&agent_id=b"), true, "Content-Type"));
        }
        byte[] tooLarge = new byte[(int) maxBody(op) + 1];
        java.util.Arrays.fill(tooLarge, (byte) ' ');
        tooLarge[0] = '{';
        tooLarge[tooLarge.length - 1] = '}';
        cases.add(new Case(OVER_LIMIT, method, path, json, tooLarge, true, bodyField));
        JsonNode schema = op.bodySchema();
        ObjectNode unknown = body(op);
        unknown.put("no_such_field", 1);
        cases.add(new Case("body: unknown field", method, path, json, bytes(unknown), isClosed(schema),
                "no_such_field"));
        for (Field f : OpenApiOperations.fields(schema)) {
            fieldCases(op, path, f, cases);
        }
        cases.add(new Case("body: valid, after the hostile cases", method, path, json, validBody(op), false, null));
    }

    /** The body limit of the operation: the OTLP export has its own. */
    private static long maxBody(Operation op) {
        return otlp(op) ? RestConfig.DEFAULT_MAX_TRACE_BODY_BYTES : RestConfig.DEFAULT_MAX_BODY_BYTES;
    }

    /** The OTLP export answers errors as a {@code google.rpc.Status} when sent OTLP, refused spans in partialSuccess. */
    private static boolean otlp(Operation op) {
        return op.path().equals(TraceRoutes.PATH);
    }

    private static boolean isClosed(JsonNode schema) {
        return schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean();
    }

    /** One change of a field: its value ({@link #REMOVE} and the other markers are applied by {@link #apply}). */
    private record Mutation(String label, JsonNode value, boolean refused) {
    }

    private static void fieldCases(Operation op, String path, Field f, List<Case> cases) {
        String method = op.method();
        String json = "application/json";
        String name = f.name();
        ObjectNode sample = body(op);
        if (parentOf(sample, f) == null) {
            throw new AssertionError(op + ": the valid body in HostileInputTest.VALID lacks the object holding " + name);
        }
        List<Mutation> mutations = new ArrayList<>();
        JsonNode s = f.schema();
        String type = f.type();
        if (f.required()) {
            mutations.add(new Mutation("missing", REMOVE, true));
        }
        mutations.add(new Mutation("null", MAPPER.nullNode(), !f.nullable()));
        JsonNode wrongType = switch (type) {
            case "string" -> MAPPER.getNodeFactory().numberNode(12345);
            case "integer", "number" -> MAPPER.getNodeFactory().textNode("12");
            case "boolean" -> MAPPER.getNodeFactory().textNode("true");
            case "array" -> MAPPER.createObjectNode();
            default -> MAPPER.getNodeFactory().textNode("x");
        };
        if (!type.isEmpty() || f.schema().has("properties")) {
            mutations.add(new Mutation("wrong JSON type", wrongType, true));
        }
        switch (type) {
            case "string" -> stringMutations(op, f, mutations);
            case "integer" -> {
                mutations.add(new Mutation("2^63", raw("9223372036854775808"), true));
                mutations.add(new Mutation("1e400", raw("1e400"), true));
                mutations.add(new Mutation("fraction", raw("1.5"), true));
                mutations.add(new Mutation("-1", raw("-1"), s.has("minimum") && s.path("minimum").asLong() >= 0));
                if (s.has("maximum")) {
                    mutations.add(new Mutation("above maximum", raw(String.valueOf(s.path("maximum").asLong() + 1)), true));
                    mutations.add(new Mutation("at maximum", raw(s.path("maximum").asText()), false));
                }
            }
            case "number" -> {
                mutations.add(new Mutation("1e400", raw("1e400"), true));
                mutations.add(new Mutation("-1e400", raw("-1e400"), true));
            }
            case "array" -> {
                if (s.path("minItems").asInt() >= 1) {
                    mutations.add(new Mutation("empty array", MAPPER.createArrayNode(), true));
                }
                if (s.has("maxItems")) {
                    mutations.add(new Mutation("over maxItems", OVER_MAX_ITEMS, true));
                }
                mutations.add(new Mutation("null element", NULL_ELEMENT, !resolvedItems(s).path("nullable").asBoolean()));
            }
            default -> {
            }
        }
        if (f.schema().has("properties") && isClosed(f.schema())) {
            mutations.add(new Mutation("unknown field inside", UNKNOWN_INSIDE, true));
        }
        for (Mutation m : mutations) {
            ObjectNode body = body(op);
            apply(body, f, m.value());
            String refusedField = m.value() == NULL_ELEMENT ? name + "[0]"
                    : m.value() == UNKNOWN_INSIDE ? name + ".no_such_field" : name;
            cases.add(new Case(name + ": " + m.label(), method, path, json, bytes(body), m.refused(), refusedField));
        }
        if (f.path().get(f.path().size() - 1) instanceof String) {
            // a duplicate key is refused wherever it appears
            ObjectNode body = body(op);
            apply(body, f, MAPPER.getNodeFactory().textNode(DUPLICATE_MARK));
            String text = new String(bytes(body), StandardCharsets.UTF_8);
            String key = MAPPER.getNodeFactory().textNode(f.leaf()).toString();
            String duplicated = text.replace(key + ":\"" + DUPLICATE_MARK + "\"",
                    key + ":\"first\"," + key + ":\"second\"");
            cases.add(new Case(name + ": duplicate key", method, path, json, utf8(duplicated), true,
                    op.sidecar() ? null : "body"));
        }
        if (type.equals("string")) {
            // the body is decoded before it is parsed: an invalid byte anywhere fails the body as a whole
            ObjectNode body = body(op);
            apply(body, f, MAPPER.getNodeFactory().textNode(BAD_UTF8_MARK));
            cases.add(new Case(name + ": invalid UTF-8", method, path, json, bytes(body), true,
                    op.sidecar() ? null : "body"));
        }
    }

    private static JsonNode resolvedItems(JsonNode arraySchema) {
        return OpenApiOperations.resolve(arraySchema.path("items"));
    }

    private static void stringMutations(Operation op, Field f, List<Mutation> mutations) {
        JsonNode s = f.schema();
        var text = MAPPER.getNodeFactory();
        if (s.has("enum")) {
            mutations.add(new Mutation("unknown enum value", text.textNode("no_such_value"), true));
            return;
        }
        if (s.path("format").asText().equals("date-time")) {
            BAD_TIMESTAMPS.forEach((label, value) -> mutations.add(new Mutation(label, text.textNode(value), true)));
            return;
        }
        int max = maxLength(op, f.name(), s);
        // a cursor is only what the server issued: any other value, of whatever length, is refused naming it
        boolean issuedByServer = f.leaf().equals("cursor");
        for (Map.Entry<String, String> v : orderedMap("blank", "", "whitespace", "   ", "NUL", "a\u0000b",
                "control character", "a\u0007b", "at maxLength", unique(max), "over maxLength",
                "a".repeat(max + 1)).entrySet()) {
            mutations.add(new Mutation(v.getKey(), text.textNode(v.getValue()),
                    issuedByServer || !accepts(s, v.getValue())));
        }
    }

    /** A string of exactly {@code length} characters, never sent before (a reused id could conflict). */
    private static String unique(int length) {
        String text = UNIQUE.incrementAndGet() + "a".repeat(length);
        return text.substring(0, length);
    }

    /** Whether a string schema admits {@code value} (minLength, maxLength, pattern). */
    static boolean accepts(JsonNode s, String value) {
        if (value.length() < s.path("minLength").asInt(0) || value.length() > s.path("maxLength").asInt(Integer.MAX_VALUE)) {
            return false;
        }
        return !s.has("pattern") || Pattern.compile(s.path("pattern").asText()).matcher(value).find();
    }

    private static int maxLength(Operation op, String name, JsonNode s) {
        if (!s.has("maxLength")) {
            throw new AssertionError(op + ": " + name + " documents no maxLength; say in openapi.yaml what the"
                    + " service accepts");
        }
        return s.path("maxLength").asInt();
    }

    private static final JsonNode REMOVE = MAPPER.getNodeFactory().textNode("<remove>");
    private static final JsonNode OVER_MAX_ITEMS = MAPPER.getNodeFactory().textNode("<over max items>");
    private static final JsonNode NULL_ELEMENT = MAPPER.getNodeFactory().textNode("<null element>");
    private static final JsonNode UNKNOWN_INSIDE = MAPPER.getNodeFactory().textNode("<unknown inside>");

    private static JsonNode raw(String number) {
        return MAPPER.getNodeFactory().rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(number));
    }

    /** The container holding the field in {@code body}, or null when the valid body lacks it. */
    private static JsonNode parentOf(JsonNode body, Field f) {
        JsonNode node = body;
        for (Object step : f.path().subList(0, f.path().size() - 1)) {
            node = step instanceof String key ? node.get(key) : node.get((Integer) step);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static void apply(ObjectNode body, Field f, JsonNode mutation) {
        JsonNode parent = parentOf(body, f);
        Object last = f.path().get(f.path().size() - 1);
        JsonNode current = last instanceof String key ? parent.get(key) : parent.get((Integer) last);
        JsonNode value = mutation;
        if (mutation == OVER_MAX_ITEMS) {
            ArrayNode items = MAPPER.createArrayNode();
            for (int i = 0; i <= f.schema().path("maxItems").asInt(); i++) {
                items.add(current.get(0));
            }
            value = items;
        } else if (mutation == NULL_ELEMENT) {
            value = MAPPER.createArrayNode().addNull(); // alone: a batch stores its valid items
        } else if (mutation == UNKNOWN_INSIDE) {
            value = ((ObjectNode) current.deepCopy()).put("no_such_field", 1);
        }
        if (last instanceof String key) {
            if (mutation == REMOVE) {
                ((ObjectNode) parent).remove(key);
            } else {
                ((ObjectNode) parent).set(key, value);
            }
        } else {
            ((ArrayNode) parent).set((Integer) last, value);
        }
    }

    // ---- running and judging a case ----------------------------------------------------------------------------

    /** An answer, from the JDK client or, for a request line the JDK refuses to send ({@code %zz}), a socket. */
    record Answer(int status, String contentType, String requestId, String text) {
        JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }
    }

    /** The rows after the previous case (the cases run one after another): the rows before this one. */
    private static Map<String, Long> rows;

    private static void check(Operation op, Case c) {
        Map<String, Long> before = rows == null ? app.rowCounts() : rows;
        Answer r = send(c);
        String answer = c.name() + " -> " + r.status() + " " + abbreviated(r.text());

        assertThat(r.status()).as(answer).isLessThan(500);
        assertThat(r.requestId()).as(answer).isNotBlank();
        assertThat(INTERNALS.matcher(r.text()).find()).as("internals in " + answer).isFalse();
        if (c.refused()) {
            assertRefused(op, c, r, answer);
        }
        rows = app.rowCounts();
        if (c.refused()) {
            assertThat(rows).as("rows after " + answer).isEqualTo(before);
        } else {
            assertThat(namesField(op, r, c.field())).as("refused although the schema allows it: " + answer).isFalse();
        }
        if (c.field() == null && !c.refused()) {
            // a valid request works; one that changes a charge may find it changed already by an earlier case
            assertThat(r.status()).as(answer).isIn(op.parameters("path").isEmpty()
                    ? List.of(200, 201) : List.of(200, 201, 409));
        }
        assertThat(app.get("/ready", null).status()).as("healthy after " + c.name()).isEqualTo(200);
    }

    private static String abbreviated(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }

    private static void assertRefused(Operation op, Case c, Answer r, String answer) {
        JsonNode item = r.status() == 200 ? perItem(op, r) : null;
        if (item != null) {
            assertThat(item.toString()).as(answer).contains(c.field() == null ? "" : c.field());
            return;
        }
        assertThat(r.status()).as(answer).isBetween(400, 499);
        if (op.sidecar()) {
            // a path the server could not even decode is answered in both dialects (a problem with "error")
            assertThat(r.contentType()).as(answer).matches("application/(problem\\+)?json.*");
            assertThat(r.json().path("error").isTextual()).as(answer).isTrue();
        } else if (otlpStatus(op, r)) {
            assertThat(r.json().path("message").asText()).as(answer).isNotBlank();
        } else {
            assertThat(r.contentType()).as(answer).startsWith("application/problem+json");
            assertThat(r.json().path("status").asInt()).as(answer).isEqualTo(r.status());
            assertThat(r.json().path("detail").asText()).as(answer).isNotBlank();
        }
        // a path that cannot be decoded is refused before any route (or parameter) is known; 404 and 413 name none
        boolean concernsField = c.field() != null && r.status() != 404 && r.status() != 413
                && !(c.name().startsWith("path ") && r.status() == 400);
        if (concernsField) {
            assertThat(namesField(op, r, c.field())).as("does not name " + c.field() + ": " + answer).isTrue();
        }
    }

    /** An OTLP error answer: a {@code google.rpc.Status} in JSON (a request that was not OTLP gets a problem). */
    private static boolean otlpStatus(Operation op, Answer r) {
        return otlp(op) && r.contentType() != null && r.contentType().startsWith("application/json");
    }

    /**
     * A batch's failed first item, a validation's negative answer or an OTLP export's refused spans; null when the
     * answer is none of these.
     */
    private static JsonNode perItem(Operation op, Answer r) {
        JsonNode response = op.responseSchema("200");
        if (response.path("properties").has("partialSuccess")) {
            JsonNode partial = r.json().path("partialSuccess");
            return partial.path("rejectedSpans").asLong(0) > 0 ? partial : null;
        }
        if (response.path("properties").has("results")) {
            JsonNode item = r.json().path("results").path(0);
            return item.path("status").isInt() && item.path("status").asInt() >= 400
                    || "error".equals(item.path("status").asText()) ? item : null;
        }
        if (response.path("properties").has("valid")) {
            return r.json().path("valid").asBoolean(true) ? null : r.json();
        }
        return null;
    }

    /** Whether the answer (problem errors, sidecar error text, a failed batch item) names {@code field}. */
    private static boolean namesField(Operation op, Answer r, String field) {
        if (field == null || r.status() >= 500) {
            return false;
        }
        if (r.status() < 400) {
            JsonNode item = r.status() == 200 ? perItem(op, r) : null;
            return item != null && item.toString().contains(field);
        }
        if (op.sidecar()) {
            return r.json().path("error").asText().contains(field);
        }
        if (otlpStatus(op, r)) {
            return r.json().path("message").asText().contains(field);
        }
        for (JsonNode e : r.json().path("errors")) {
            if (e.path("field").asText().equals(field)) {
                return true;
            }
        }
        return false;
    }

    private static Answer send(Case c) {
        byte[] body = c.body() == null ? null : withInvalidUtf8(c.body());
        if (c.path().contains("%zz")) {
            RawHttp.Response r = RawHttp.send(app.port, c.method(), c.path(), ADMIN, c.contentType(), body);
            return new Answer(r.status(), r.header("Content-Type"), r.header("X-Request-Id"), r.body());
        }
        if (c.name().equals(OVER_LIMIT)) {
            // Only the head goes out, declaring the body's length: the server refuses on the declared length without
            // reading a byte. Sending the bytes as well races the server's close, and TCP may then drop the 413.
            RawHttp.Response r = RawHttp.exchange(app.port,
                    (c.method() + " " + c.path()).getBytes(StandardCharsets.ISO_8859_1), ADMIN,
                    "Content-Type: " + c.contentType() + "\r\nContent-Length: " + body.length + "\r\n", null);
            return new Answer(r.status(), r.header("Content-Type"), r.header("X-Request-Id"), r.body());
        }
        HttpRequest.Builder request = app.request(c.path(), ADMIN);
        if (body == null) {
            request.method(c.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", c.contentType())
                    .method(c.method(), HttpRequest.BodyPublishers.ofByteArray(body));
        }
        TestApp.Resp r = app.send(request);
        return new Answer(r.status(), r.contentType(), r.header("X-Request-Id"), r.text());
    }

    /** The body with the marked string's bytes replaced by a lead byte that no continuation byte follows. */
    private static byte[] withInvalidUtf8(byte[] body) {
        byte[] mark = utf8(BAD_UTF8_MARK);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        for (int i = 0; i < body.length; i++) {
            if (i + mark.length <= body.length && java.util.Arrays.equals(body, i, i + mark.length, mark, 0, mark.length)) {
                out.write(0xC3);
                out.write('(');
                i += mark.length - 1;
            } else {
                out.write(body[i]);
            }
        }
        return out.toByteArray();
    }
}
