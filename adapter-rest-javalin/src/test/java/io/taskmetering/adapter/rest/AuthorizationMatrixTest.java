package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskmetering.adapter.rest.OpenApiOperations.Operation;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.billing.CapLimits;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.ADMIN_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_ALL;
import static io.taskmetering.adapter.rest.TestApp.AGENT_B;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.READER_B;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The authorization matrix, generated from the OpenAPI document: every operation × every kind of caller (no key,
 * malformed header, wrong key, each role, scoped and unscoped, a key of another subscription) × its method, HEAD for
 * GET routes and every method the path does not serve. Each cell is one named test asserting the status the
 * document's {@code security}, {@code x-roles} and {@code x-other-subscriptions} imply, the error dialect of the
 * route, {@code WWW-Authenticate: Bearer} on every 401, and that no identifier of a subscription outside the caller's
 * reach appears in the answer (body or headers) unless the caller sent it.
 *
 * <p>Order of refusals: the route is matched first (404 unknown path, 405 a method the path does not serve, for any
 * caller: the route table is public in {@code /openapi.json}); then the key (401); then the role (403); then the
 * subscription of the data (403, 404 or a filtered answer as the operation documents).
 *
 * <p>Every request targets data of {@code sub-a}; both subscriptions are seeded once with distinctive identifiers
 * (outcomes, a held charge, a cap anomaly, an invoiced hour, a credit, evaluations, sidecar decisions, usage records).
 */
class AuthorizationMatrixTest {
    static final String ADMIN_B = "admin-b-key-0000000001";
    private static final List<String> PROBED_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** 405 comes before authentication, so the caller cannot matter: one of each kind is enough. */
    private static final Set<String> CALLERS_OF_UNSERVED_METHODS = Set.of("no key", "wrong key", "admin",
            "reader of another subscription");

    @RegisterExtension
    static final TestApp app = new TestApp(RestConfig.withKeys(keys()), BillingPolicy.defaults(PlanId.of("plan-basic"))
            .withCaps(GuardrailCaps.unlimited()
                    .withOverride(SubscriptionRef.of("sub-a"), new CapLimits(2, 0))
                    .withOverride(SubscriptionRef.of("sub-b"), new CapLimits(2, 0))));

    private static List<ApiKeyConfig> keys() {
        List<ApiKeyConfig> keys = new ArrayList<>(TestApp.keys());
        keys.add(new ApiKeyConfig("admin-b", ADMIN_B, Role.ADMIN, Set.of("sub-b")));
        return keys;
    }

    /** A subscription and every identifier of its data, to be looked for where it must not be. */
    enum Tenant {
        A("sub-a", "alpha", AGENT_A), B("sub-b", "bravo", AGENT_B);

        final String subscription;
        final String word;
        final String agentKey;
        final Set<String> identifiers = ConcurrentHashMap.newKeySet();
        private final AtomicInteger next = new AtomicInteger();

        Tenant(String subscription, String word, String agentKey) {
            this.subscription = subscription;
            this.word = word;
            this.agentKey = agentKey;
            identifiers.add(subscription);
        }

        /** A named identifier of this tenant ({@code task-alpha-held}). */
        String id(String kind, String name) {
            String id = kind + "-" + word + "-" + name;
            identifiers.add(id);
            return id;
        }

        /** A fresh identifier; fixed width, so none is a prefix of another. */
        String fresh(String kind) {
            return id(kind, String.format("%04d", next.incrementAndGet()));
        }

        String agent() {
            return id("agent", "bot");
        }

        String secret() {
            return id("secret", "summary");
        }
    }

    /** An Authorization header and what it stands for; role null when it authenticates nobody. */
    record Credential(String name, String authorization, Role role, Set<String> scope) {
        boolean authenticates() {
            return role != null;
        }

        boolean reaches(Tenant tenant) {
            return scope.isEmpty() || scope.contains(tenant.subscription);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Credential> CREDENTIALS = List.of(
            new Credential("no key", null, null, Set.of()),
            new Credential("malformed: Basic scheme", "Basic " + ADMIN, null, Set.of()),
            new Credential("malformed: Bearer without key", "Bearer", null, Set.of()),
            new Credential("wrong key", "Bearer wrong-key-00000000000", null, Set.of()),
            new Credential("admin", "Bearer " + ADMIN, Role.ADMIN, Set.of()),
            new Credential("admin scoped to sub-a", "Bearer " + ADMIN_A, Role.ADMIN, Set.of("sub-a")),
            new Credential("admin of another subscription", "Bearer " + ADMIN_B, Role.ADMIN, Set.of("sub-b")),
            new Credential("agent of sub-a", "Bearer " + AGENT_A, Role.AGENT, Set.of("sub-a")),
            new Credential("agent of another subscription", "Bearer " + AGENT_B, Role.AGENT, Set.of("sub-b")),
            new Credential("agent of every subscription", "Bearer " + AGENT_ALL, Role.AGENT, Set.of()),
            new Credential("reader of sub-a", "Bearer " + READER_A, Role.READER, Set.of("sub-a")),
            new Credential("reader of another subscription", "Bearer " + READER_B, Role.READER, Set.of("sub-b")));

    /** The request a cell sends: path with query, and a JSON body or none. */
    record Call(String path, String body) {
        String text() {
            return path + " " + (body == null ? "" : body);
        }
    }

    /**
     * How to call one operation against {@code sub-a}'s data. {@code call} gets {@code true} when the call is expected
     * to succeed, so that a state change gets a fresh target; {@code own} names what a successful answer for a
     * tenant must contain (null when the answer holds no identifier, e.g. totals).
     */
    record Row(Function<Boolean, Call> call, Function<Tenant, String> own) {
        static Row of(Function<Boolean, Call> call) {
            return new Row(call, null);
        }

        static Row read(String path, Function<Tenant, String> own) {
            return new Row(fresh -> new Call(path, null), own);
        }
    }

    /** A contract version every subscription may see; each tenant's own activation of it is that tenant's data. */
    private static final String STRICT = "strict-approval-v1";
    private static final AtomicInteger CONTRACTS = new AtomicInteger();
    /** A version whose shadow runs the matrix starts and stops. */
    private static final String STOPPED = "shadow-stopped-v1";

    /** One row per documented operation; a route without one fails {@link #every_route_has_a_row_of_the_matrix()}. */
    static final Map<String, Row> ROWS = rows();

    private static Map<String, Row> rows() {
        Tenant a = Tenant.A;
        Map<String, Row> rows = new LinkedHashMap<>();
        rows.put("POST /v1/outcomes", Row.of(fresh -> new Call("/v1/outcomes", json(outcome(a, false)))));
        rows.put("POST /v1/outcomes/batch", Row.of(fresh -> new Call("/v1/outcomes/batch",
                json(map("outcomes", List.of(outcome(a, false)))))));
        rows.put("POST /v1/evaluations", Row.of(fresh -> new Call("/v1/evaluations", json(outcome(a, false)))));
        rows.put("GET /v1/audit/{correlation_id}", Row.read("/v1/audit/" + a.id("corr", "charged"), t -> t.id("task", "charged")));
        rows.put("GET /v1/charges", Row.read("/v1/charges" + "?limit=1000", t -> t.id("corr", "charged")));
        rows.put("GET /v1/reviews", Row.read("/v1/reviews" + "?limit=1000", t -> t.id("corr", "held")));
        rows.put("POST /v1/reviews/{correlation_id}/approve", Row.of(fresh -> new Call(
                "/v1/reviews/" + (fresh ? held(a) : a.id("corr", "held")) + "/approve", json(map("note", "checked")))));
        rows.put("POST /v1/reviews/{correlation_id}/reject", Row.of(fresh -> new Call(
                "/v1/reviews/" + (fresh ? held(a) : a.id("corr", "held")) + "/reject", json(map("note", "checked")))));
        rows.put("POST /v1/charges/{correlation_id}/dispute", Row.of(fresh -> new Call(
                "/v1/charges/" + (fresh ? qualified(a) : a.id("corr", "charged")) + "/dispute", json(map("reason", "wrong")))));
        rows.put("POST /v1/charges/{correlation_id}/resolve", Row.of(fresh -> new Call(
                "/v1/charges/" + (fresh ? disputed(a) : a.id("corr", "charged")) + "/resolve", json(map("decision", "uphold")))));
        rows.put("GET /v1/credits", Row.read("/v1/credits" + "?limit=1000", t -> t.id("corr", "credited")));
        rows.put("GET /v1/anomalies", Row.read("/v1/anomalies" + "?limit=1000", t -> t.id("task", "capped")));
        rows.put("GET /v1/usage-events", Row.read("/v1/usage-events" + "?limit=1000", t -> t.subscription));
        rows.put("GET /v1/insights/hours", Row.read("/v1/insights/hours", t -> t.subscription));
        rows.put("GET /v1/insights/summary", Row.read("/v1/insights/summary", t -> t.subscription));
        rows.put("POST /v1/usage-events/submit", Row.of(fresh -> new Call("/v1/usage-events/submit", null)));
        rows.put("POST /v1/usage", Row.of(fresh -> new Call("/v1/usage", json(usage(a)))));
        rows.put("GET /v1/usage", Row.read("/v1/usage" + "?limit=1000", t -> t.id("task", "usage")));
        rows.put("POST /v1/usage/batch", Row.of(fresh -> new Call("/v1/usage/batch", json(map("events", List.of(usage(a)))))));
        rows.put("POST /v1/usage/validate", Row.of(fresh -> new Call("/v1/usage/validate", json(usage(a)))));
        rows.put("POST /v1/usage/purge", Row.of(fresh -> new Call("/v1/usage/purge", null)));
        rows.put("GET /v1/usage/aggregate", Row.read("/v1/usage/aggregate?group_by=agent", Tenant::agent));
        rows.put("GET /v1/usage/summary", Row.read("/v1/usage/summary", null));
        rows.put("GET /v1/usage/agents", Row.read("/v1/usage/agents", Tenant::agent));
        rows.put("GET /v1/usage/consumers", Row.read("/v1/usage/consumers", t -> t.subscription));
        rows.put("GET /v1/usage/export", Row.read("/v1/usage/export", t -> t.id("task", "usage")));
        rows.put("GET /v1/usage/stats", Row.read("/v1/usage/stats", null));
        rows.put("GET /v1/usage/{task_id}", Row.read("/v1/usage/" + a.id("task", "usage"), t -> t.id("task", "usage")));
        for (String route : List.of("/evaluate", "/evaluate_intent_handling", "/evaluate_task_adherence", "/evaluate_and_meter_task")) {
            rows.put("POST " + route, Row.of(fresh -> new Call(route, json(outcome(a, false)))));
        }
        rows.put("POST /record_task_completed", Row.of(fresh -> new Call("/record_task_completed", json(map(
                "task_id", a.fresh("task"), "subscription_ref", a.subscription, "correlation_id", a.fresh("corr"))))));
        rows.put("GET /audit/{correlation_id}", Row.read("/audit/" + a.id("corr", "charged"), t -> t.id("task", "charged")));
        rows.put("GET /v1/contracts", Row.read("/v1/contracts", t -> t.subscription));
        rows.put("POST /v1/contracts", Row.of(fresh -> new Call("/v1/contracts",
                json(map("version", "contract-" + CONTRACTS.incrementAndGet(), "require_approval", true)))));
        rows.put("GET /v1/contracts/{version}", Row.read("/v1/contracts/" + STRICT, t -> t.subscription));
        rows.put("POST /v1/contracts/{version}/activate", Row.of(fresh -> new Call("/v1/contracts/" + STRICT + "/activate",
                json(activation(a)))));
        rows.put("GET /v1/contracts/{version}/shadow", Row.read("/v1/contracts/" + STRICT + "/shadow", t -> t.subscription));
        rows.put("POST /v1/contracts/{version}/shadow", Row.of(fresh -> new Call("/v1/contracts/" + STRICT + "/shadow",
                json(map("subscription_ref", a.subscription)))));
        rows.put("DELETE /v1/contracts/{version}/shadow", Row.of(fresh -> {
            if (fresh) {
                var started = app.post("/v1/contracts/" + STOPPED + "/shadow", ADMIN, json(map("subscription_ref", a.subscription)));
                assertThat(started.status()).as(started.toString()).isIn(200, 201);
            }
            return new Call("/v1/contracts/" + STOPPED + "/shadow?subscription_ref=" + a.subscription, null);
        }));
        rows.put("GET /v1/contracts/{version}/shadow-report", Row.read("/v1/contracts/" + STRICT
                + "/shadow-report?subscription_ref=" + a.subscription + "&from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z",
                t -> t.id("task", "charged")));
        rows.put("POST /v1/replays", new Row(fresh -> new Call("/v1/replays", json(map("contract_version", STRICT,
                "from", "2026-03-01T00:00:00Z", "to", "2026-03-31T00:00:00Z", "subscription_ref", a.subscription))),
                t -> t.id("task", "charged")));
        rows.put("POST /v1/reconciliations", Row.of(fresh -> new Call("/v1/reconciliations", json(map("day", "2026-03-01")))));
        rows.put("GET /v1/reconciliations", Row.of(fresh -> {
            if (fresh) {
                var run = app.post("/v1/reconciliations", ADMIN, json(map("day", "2026-03-01")));
                assertThat(run.status()).as(run.toString()).isEqualTo(201);
            }
            return new Call("/v1/reconciliations?day=2026-03-01", null);
        }));
        rows.put("POST /v1/traces", Row.of(fresh -> new Call("/v1/traces", json(otlpExport(a)))));
        rows.put("GET /health", Row.read("/health", null));
        rows.put("GET /ready", Row.read("/ready", null));
        rows.put("GET /metrics", Row.read("/metrics", null));
        rows.put("GET /openapi.json", Row.read("/openapi.json", null));
        return rows;
    }


    // ---- seed data -------------------------------------------------------------------------------------------------

    private static Map<String, Object> outcome(Tenant t, boolean handOff) {
        return outcome(t, t.fresh("task"), t.fresh("corr"), handOff);
    }

    private static Map<String, Object> outcome(Tenant t, String task, String correlationId, boolean handOff) {
        Map<String, Object> outputs = handOff
                ? map("terminal_success", true, "human_handoff", true, "summary", t.secret())
                : map("terminal_success", true, "summary", t.secret());
        return map("task_id", task, "agent_id", t.agent(), "subscription_ref", t.subscription,
                "correlation_id", correlationId, "evidence", map("outputs", outputs));
    }

    /** An OTLP JSON export of one agent span of the tenant's subscription, in a fresh trace. */
    private static Map<String, Object> otlpExport(Tenant t) {
        String trace = String.format("%032x", TRACES.incrementAndGet());
        long end = app.clock.instant().toEpochMilli() * 1_000_000L;
        Map<String, Object> span = map("traceId", trace, "spanId", "00000000000000a1", "name", "invoke_agent bot",
                "kind", 1, "startTimeUnixNano", Long.toString(end - 1_000_000_000L), "endTimeUnixNano", Long.toString(end),
                "attributes", List.of(
                        map("key", "gen_ai.operation.name", "value", map("stringValue", "invoke_agent")),
                        map("key", "metering.subscription_ref", "value", map("stringValue", t.subscription)),
                        map("key", "gen_ai.agent.id", "value", map("stringValue", t.agent()))));
        return map("resourceSpans", List.of(map("scopeSpans", List.of(map("spans", List.of(span))))));
    }

    private static final AtomicInteger TRACES = new AtomicInteger();

    /** The tenant's activation of {@link #STRICT}, a month ahead (no outcome of the test is decided by it). */
    private static Map<String, Object> activation(Tenant t) {
        return map("subscription_ref", t.subscription,
                "effective_from", Timestamps.format(TestApp.START.plus(Duration.ofDays(30))));
    }

    private static Map<String, Object> usage(Tenant t) {
        return usage(t, t.fresh("task"));
    }

    private static Map<String, Object> usage(Tenant t, String task) {
        return map("task_id", task, "agent_id", t.agent(), "consumer_id", t.subscription, "tokens_in", 100,
                "tokens_out", 50, "duration_ms", 1200, "api_calls", 3,
                "timestamp", Timestamps.format(app.clock.instant().minus(Duration.ofMinutes(10))));
    }

    private static String record(Tenant t, Map<String, Object> outcome) {
        var r = app.post("/v1/outcomes", t.agentKey, json(outcome));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().path("correlation_id").asText();
    }

    /** A charge held for review (a human hand-off always is). */
    private static String held(Tenant t) {
        return record(t, outcome(t, true));
    }

    /** A QUALIFIED charge: approved by the admin when the hourly cap held it. */
    private static String qualified(Tenant t) {
        var recorded = app.post("/v1/outcomes", t.agentKey, json(outcome(t, false)));
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        String id = recorded.json().path("correlation_id").asText();
        if (recorded.json().path("charge_state").asText().equals("PENDING_REVIEW")) {
            var approved = app.post("/v1/reviews/" + id + "/approve", ADMIN, json(map("note", "within budget")));
            assertThat(approved.json().path("state").asText()).as(approved.toString()).isEqualTo("QUALIFIED");
        }
        return id;
    }

    private static String disputed(Tenant t) {
        String id = qualified(t);
        var r = app.post("/v1/charges/" + id + "/dispute", ADMIN, json(map("reason", "not done")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return id;
    }

    /**
     * A contract version, activated for each subscription a month ahead and shadowing each. Per subscription: two charges and a third over the hourly cap of 2 (held, a cap anomaly), a hand-off held for
     * review, an evaluation, a sidecar decision and a usage record; then the hour is invoiced (usage events) and one
     * charge of it reversed (a credit).
     */
    @BeforeAll
    static void seed() {
        var created = app.post("/v1/contracts", ADMIN, json(map("version", STRICT, "require_approval", true)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(app.post("/v1/contracts", ADMIN, json(map("version", STOPPED))).status()).isEqualTo(201);
        for (Tenant t : Tenant.values()) {
            var activated = app.post("/v1/contracts/" + STRICT + "/activate", ADMIN, json(activation(t)));
            assertThat(activated.status()).as(activated.toString()).isIn(200, 201);
            var shadowed = app.post("/v1/contracts/" + STRICT + "/shadow", ADMIN, json(map("subscription_ref", t.subscription)));
            assertThat(shadowed.status()).as(shadowed.toString()).isEqualTo(201);
        }
        for (Tenant t : Tenant.values()) {
            record(t, outcome(t, t.id("task", "charged"), t.id("corr", "charged"), false));
            record(t, outcome(t, t.id("task", "credited"), t.id("corr", "credited"), false));
            record(t, outcome(t, t.id("task", "capped"), t.id("corr", "capped"), false));
            record(t, outcome(t, t.id("task", "held"), t.id("corr", "held"), true));
            var evaluated = app.post("/v1/evaluations", t.agentKey,
                    json(outcome(t, t.id("task", "evaluated"), t.id("corr", "evaluated"), false)));
            assertThat(evaluated.status()).as(evaluated.toString()).isEqualTo(201);
            var metered = app.post("/evaluate_and_meter_task", t.agentKey,
                    json(outcome(t, t.id("task", "metered"), t.id("corr", "metered"), false)));
            assertThat(metered.status()).as(metered.toString()).isEqualTo(200);
            var used = app.post("/v1/usage", t.agentKey, json(usage(t, t.id("task", "usage"))));
            assertThat(used.status()).as(used.toString()).isEqualTo(201);
        }
        app.clock.advance(Duration.ofHours(1));
        var submit = app.post("/v1/usage-events/submit", ADMIN, null);
        assertThat(submit.status()).as(submit.toString()).isEqualTo(200);
        for (Tenant t : Tenant.values()) {
            String credited = t.id("corr", "credited");
            assertThat(app.post("/v1/charges/" + credited + "/dispute", ADMIN, json(map("reason", "wrong"))).status())
                    .isEqualTo(200);
            var reversed = app.post("/v1/charges/" + credited + "/resolve", ADMIN, json(map("decision", "reverse")));
            assertThat(reversed.json().path("state").asText()).as(reversed.toString()).isEqualTo("REVERSED");
        }
    }

    // ---- coverage --------------------------------------------------------------------------------------------------

    /** A route registered, documented or in the matrix on one side only fails here, naming it. */
    @Test
    void every_route_has_a_row_of_the_matrix() {
        Set<String> registered = new TreeSet<>(app.api.routes());
        Set<String> documented = OpenApiOperations.all().stream().map(Operation::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(difference(registered, documented)).as("routes registered but not in the OpenAPI document").isEmpty();
        assertThat(difference(documented, registered)).as("operations documented but not registered").isEmpty();
        assertThat(difference(registered, ROWS.keySet())).as("routes without a row of the authorization matrix").isEmpty();
        assertThat(difference(ROWS.keySet(), registered)).as("matrix rows of no route").isEmpty();
    }

    /** x-roles and x-other-subscriptions say what {@link Access} enforces. */
    @Test
    void the_documented_roles_are_the_access_of_each_route() {
        Map<String, Operation> documented = OpenApiOperations.all().stream()
                .collect(Collectors.toMap(Operation::key, op -> op));
        for (Route route : app.api.routeTable()) {
            Operation op = documented.get(route.key());
            assertThat(op).as(route.key() + " is documented").isNotNull();
            assertThat(op.secured()).as(route.key() + " needs a key").isEqualTo(route.access() != Access.PUBLIC);
            if (route.access() == Access.PUBLIC) {
                assertThat(op.node().has("x-roles")).as(route.key() + " has no x-roles").isFalse();
                continue;
            }
            Set<String> roles = route.access().roles().stream().map(Role::wireName).collect(Collectors.toCollection(TreeSet::new));
            assertThat(op.roles()).as(route.key() + " x-roles").isEqualTo(roles);
            assertThat(op.otherSubscriptions()).as(route.key() + " x-other-subscriptions")
                    .isIn("forbidden", "forbidden-per-item", "reported-invalid", "rejected-per-span", "not-found", "filtered",
                            "refused");
            assertThat(op.otherSubscriptions().equals("refused")).as(route.key() + ": refused exactly when unscoped only")
                    .isEqualTo(route.access().unscopedOnly());
            assertThat(op.statuses()).as(route.key() + " documents 401").contains(401);
            boolean someKeyRefused = route.access().roles().size() < Role.values().length
                    || route.access().unscopedOnly() || !op.otherSubscriptions().equals("filtered");
            if (someKeyRefused) {
                assertThat(op.statuses()).as(route.key() + " documents 403").contains(403);
            }
        }
    }

    /** The check that refuses GET /v1/usage/batch with 405 leaves the trailing slash Javalin ignores alone. */
    @Test
    void a_trailing_slash_reaches_the_same_route() {
        assertThat(app.get("/v1/audit/" + Tenant.A.id("corr", "charged") + "/", READER_A).status()).isEqualTo(200);
        assertThat(app.get("/v1/usage/" + Tenant.A.id("task", "usage") + "/", READER_A).status()).isEqualTo(200);
        var batch = app.get("/v1/usage/batch/", READER_A);
        assertThat(batch.status()).as(batch.toString()).isEqualTo(405);
        assertThat(batch.header("Allow")).isEqualTo("POST");
    }

    private static Set<String> difference(Set<String> of, Set<String> minus) {
        Set<String> rest = new TreeSet<>(of);
        rest.removeAll(minus);
        return rest;
    }

    // ---- the matrix ------------------------------------------------------------------------------------------------

    @TestFactory
    List<DynamicNode> every_operation_for_every_caller_and_method() {
        List<DynamicNode> operations = new ArrayList<>();
        for (Operation op : OpenApiOperations.all()) {
            Row row = ROWS.get(op.key());
            if (row == null) {
                operations.add(DynamicTest.dynamicTest(op.key(), () -> fail("no authorization matrix row for " + op.key())));
                continue;
            }
            List<DynamicNode> cells = new ArrayList<>();
            for (Credential credential : CREDENTIALS) {
                cells.add(DynamicTest.dynamicTest(op.method() + " as " + credential, () -> cell(op, row, credential, op.method())));
                if (op.method().equals("GET")) {
                    cells.add(DynamicTest.dynamicTest("HEAD as " + credential, () -> cell(op, row, credential, "HEAD")));
                }
            }
            operations.add(DynamicContainer.dynamicContainer(op.key(), cells));
        }
        return operations;
    }

    /** Methods a path does not serve are 405 for every caller, key or not, before authentication. */
    @TestFactory
    List<DynamicNode> methods_a_path_does_not_serve() {
        List<DynamicNode> paths = new ArrayList<>();
        OpenApiOperations.methodsByPath().forEach((path, served) -> {
            Operation op = OpenApiOperations.all().stream().filter(o -> o.path().equals(path)).findFirst().orElseThrow();
            Row row = ROWS.get(op.key());
            if (row == null) {
                return; // reported by the matrix
            }
            List<DynamicNode> cells = new ArrayList<>();
            for (String method : PROBED_METHODS) {
                if (served.contains(method)) {
                    continue;
                }
                for (Credential credential : CREDENTIALS) {
                    if (!CALLERS_OF_UNSERVED_METHODS.contains(credential.name())) {
                        continue;
                    }
                    cells.add(DynamicTest.dynamicTest(method + " as " + credential, () -> {
                        Call call = row.call().apply(false);
                        TestApp.Resp r = send(method, call, credential);
                        assertThat(r.status()).as(r.toString()).isEqualTo(405);
                        assertThat(r.header("Allow")).as("Allow").isNotNull();
                        assertThat(new TreeSet<>(List.of(r.header("Allow").split(",\\s*")))).as("Allow")
                                .isEqualTo(new TreeSet<>(served));
                        assertError(path, method, r, 405);
                        assertNoForeignIdentifiers(call, r, Set.of(Tenant.values()));
                    }));
                }
            }
            paths.add(DynamicContainer.dynamicContainer(path, cells));
        });
        return paths;
    }

    private static void cell(Operation op, Row row, Credential credential, String method) {
        Expected expected = expected(op, credential);
        Call call = row.call().apply(expected.status() / 100 == 2 && !op.method().equals("GET"));
        TestApp.Resp r = send(method, call, credential);
        String what = method + " " + call.path() + " as " + credential + ": " + r;
        if (expected.status() / 100 == 2) {
            assertThat(r.status()).as(what).isBetween(200, 299);
            assertThat(op.statuses()).as(what + " answers a documented status").contains(r.status());
        } else {
            assertThat(r.status()).as(what).isEqualTo(expected.status());
            assertThat(op.statuses()).as(op.key() + " documents " + expected.status()).contains(expected.status());
            assertError(op.path(), method, r, expected.status());
        }
        assertThat(r.header(RestApi.REQUEST_ID_HEADER)).as(what + " X-Request-Id").isNotBlank();
        if (method.equals("HEAD")) {
            assertThat(r.raw().body()).as(what + " HEAD has no body").isEmpty();
        } else if (expected.check() != null) {
            expected.check().accept(r.json());
        }
        if (expected.ownTenant() != null && row.own() != null && !method.equals("HEAD")) {
            assertThat(r.text()).as(what + " shows the caller's own data").contains(row.own().apply(expected.ownTenant()));
        }
        Set<Tenant> hidden = expected.status() / 100 == 2
                ? Set.of(Tenant.values()).stream().filter(t -> !credential.reaches(t)).collect(Collectors.toSet())
                : Set.of(Tenant.values());
        if (!op.secured()) {
            hidden = Set.of(Tenant.values());
        }
        assertNoForeignIdentifiers(call, r, hidden);
        if (expected.status() / 100 != 2 || expected.check() != null) {
            assertNothingStored(call);
        }
    }

    /** A refused write stored nothing: no decision under the correlation ids sent, no usage record of the tasks sent. */
    private static void assertNothingStored(Call call) {
        if (call.body() == null) {
            return;
        }
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(call.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> items = new ArrayList<>();
        items.add(body);
        body.path("outcomes").forEach(items::add);
        body.path("events").forEach(items::add);
        for (JsonNode item : items) {
            if (item.has("correlation_id")) {
                String id = item.path("correlation_id").asText();
                assertThat(app.get("/v1/audit/" + id, ADMIN).status()).as("a decision stored under " + id).isEqualTo(404);
            } else if (item.has("consumer_id")) {
                String task = item.path("task_id").asText();
                assertThat(app.get("/v1/usage/" + task, ADMIN).status()).as("usage stored for " + task).isEqualTo(404);
            }
        }
    }

    /** What a cell must answer: a status (any documented 2xx when 2xx), a check of the body, whose data it shows. */
    record Expected(int status, Consumer<JsonNode> check, Tenant ownTenant) {
        static Expected refused(int status) {
            return new Expected(status, null, null);
        }
    }

    private static Expected expected(Operation op, Credential credential) {
        if (!op.secured()) {
            return new Expected(200, null, null);
        }
        if (!credential.authenticates()) {
            return Expected.refused(401);
        }
        if (!op.roles().contains(credential.role().wireName())) {
            return Expected.refused(403);
        }
        if (op.otherSubscriptions().equals("refused") && !credential.scope().isEmpty()) {
            return Expected.refused(403);
        }
        if (credential.reaches(Tenant.A)) {
            return new Expected(200, null, Tenant.A);
        }
        return switch (op.otherSubscriptions()) {
            case "forbidden" -> Expected.refused(403);
            case "not-found" -> Expected.refused(404);
            case "filtered" -> new Expected(200, null, Tenant.B);
            case "forbidden-per-item" -> new Expected(200, body -> {
                assertThat(body.path("results")).isNotEmpty();
                body.path("results").forEach(item ->
                        assertThat(item.path("error").path("status").asInt()).as(item.toString()).isEqualTo(403));
            }, null);
            case "rejected-per-span" -> new Expected(200, body -> {
                assertThat(body.path("partialSuccess").path("rejectedSpans").asText()).as(body.toString()).isEqualTo("1");
                assertThat(body.path("partialSuccess").path("errorMessage").asText()).as(body.toString())
                        .contains("spans[0]");
            }, null);
            case "reported-invalid" -> new Expected(200, body -> {
                assertThat(body.path("valid").asBoolean()).as(body.toString()).isFalse();
                assertThat(body.path("field").asText()).isEqualTo("consumer_id");
            }, null);
            default -> throw new AssertionError(op.key() + ": unknown x-other-subscriptions " + op.otherSubscriptions());
        };
    }

    private static TestApp.Resp send(String method, Call call, Credential credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(call.path()));
        if (credential.authorization() != null) {
            request.header("Authorization", credential.authorization());
        }
        boolean withBody = call.body() != null && !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        request.header("Content-Type", "application/json");
        return app.send(request.method(method, withBody
                ? HttpRequest.BodyPublishers.ofString(call.body()) : HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Native paths answer problem+json, the sidecar's the {@code {"error"}} shape, the OTLP export (sent OTLP JSON) a
     * {@code google.rpc.Status} in JSON; a 401 names the Bearer scheme.
     */
    private static void assertError(String path, String method, TestApp.Resp r, int status) {
        if (status == 401) {
            assertThat(r.header("WWW-Authenticate")).as(r + " WWW-Authenticate").isEqualTo("Bearer");
        }
        assertThat(r.header(RestApi.REQUEST_ID_HEADER)).as(r + " X-Request-Id").isNotBlank();
        if (path.equals(TraceRoutes.PATH)) {
            assertThat(r.contentType()).as(r + " Content-Type").startsWith("application/json");
            if (!method.equals("HEAD")) {
                assertThat(r.json().path("message").asText()).as(r.toString()).isNotBlank();
                assertThat(r.json().path("code").asInt()).as(r.toString()).isPositive();
            }
            return;
        }
        boolean sidecar = ErrorMapper.isSidecarPath(path);
        assertThat(r.contentType()).as(r + " Content-Type")
                .startsWith(sidecar ? "application/json" : Problem.CONTENT_TYPE);
        if (method.equals("HEAD")) {
            assertThat(r.raw().body()).isEmpty();
            return;
        }
        JsonNode body = r.json();
        if (sidecar) {
            assertThat(body.size()).as(r + " is {\"error\": ...}").isEqualTo(1);
            assertThat(body.path("error").isTextual()).as(r.toString()).isTrue();
        } else {
            assertThat(body.path("status").asInt()).as(r.toString()).isEqualTo(status);
            assertThat(body.path("type").asText()).as(r.toString()).startsWith("https://taskmetering.io/problems/");
            assertThat(body.path("title").asText()).as(r.toString()).isNotBlank();
            assertThat(body.path("detail").asText()).as(r.toString()).isNotBlank();
        }
    }

    /** No identifier of {@code hidden} tenants in the body or any header, except what the request itself carried. */
    private static void assertNoForeignIdentifiers(Call call, TestApp.Resp r, Set<Tenant> hidden) {
        String sent = call.text();
        String answer = r.text() + "\n" + r.raw().headers().map();
        for (Tenant t : hidden) {
            for (String id : t.identifiers) {
                if (!sent.contains(id)) {
                    assertThat(answer).as("answer to " + call.path() + " reveals " + id).doesNotContain(id);
                }
            }
        }
    }
}
