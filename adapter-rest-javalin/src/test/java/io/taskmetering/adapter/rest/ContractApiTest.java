package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.ADMIN_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract versions over HTTP: immutable versions, activation by subscription and globally, the closed-hour rule, and
 * who may do what. The shared app's clock stands at 2026-03-02T10:20:00Z; tests that close hours or activate globally
 * run on an app of their own.
 */
class ContractApiTest {
    @RegisterExtension
    static final TestApp app = new TestApp();

    /** Demands an output the test outcomes do not carry. */
    private static Map<String, Object> strict(String version) {
        return map("version", version, "required_output_keys", List.of("approval_ref"));
    }

    private static TestApp.Resp create(TestApp on, Map<String, Object> body) {
        return on.post("/v1/contracts", ADMIN, json(body));
    }

    private static TestApp.Resp activate(TestApp on, String key, String version, Object... fields) {
        return on.post("/v1/contracts/" + version + "/activate", key, json(map(fields)));
    }

    private static JsonNode record(TestApp on, String task, String subscription, String occurredAt) {
        var r = on.post("/v1/outcomes", ADMIN, json(with(outcome(task, subscription), "occurred_at", occurredAt,
                "correlation_id", "corr-" + task)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    @Test
    void a_version_is_created_once_the_same_settings_again_are_200_and_other_settings_409_naming_the_id() {
        var created = create(app, strict("strict-create"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.path("version").asText()).isEqualTo("strict-create");
        assertThat(body.path("required_output_keys").toString()).isEqualTo("[\"approval_ref\"]");
        assertThat(body.path("require_approval").asBoolean()).isFalse();
        assertThat(body.path("require_intent_resolution").asBoolean()).isFalse();
        assertThat(body.path("intent_resolution_threshold").asDouble()).isEqualTo(3.0);
        assertThat(body.path("hold_ambiguous_for_review").asBoolean()).isTrue();
        assertThat(body.path("created_at").asText()).isEqualTo("2026-03-02T10:20:00Z");
        assertThat(body.path("bootstrap_default").asBoolean()).isFalse();
        assertThat(body.path("applies")).isEmpty();

        var again = create(app, strict("strict-create"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(body);

        var other = create(app, with(strict("strict-create"), "require_approval", true));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.errorFields()).containsExactly("version");
        assertThat(other.json().path("detail").asText()).contains("'strict-create'");
        assertThat(app.get("/v1/contracts/strict-create", ADMIN).json()).isEqualTo(body);
    }

    @Test
    void a_version_request_is_validated_field_by_field() {
        Map<String, Integer> statusOf = Map.of("version", 400, "required_output_keys", 400,
                "required_output_keys[1]", 422, "intent_resolution_threshold", 422, "require_approval", 400, "colour", 400);
        List<Map<String, Object>> bodies = List.of(
                map("required_output_keys", List.of()),
                map("version", "v-bad", "required_output_keys", "summary"),
                map("version", "v-bad", "required_output_keys", List.of("summary", " ")),
                map("version", "v-bad", "intent_resolution_threshold", -1),
                map("version", "v-bad", "require_approval", "yes"),
                map("version", "v-bad", "colour", "blue"));
        List<String> fields = new ArrayList<>(List.of("version", "required_output_keys", "required_output_keys[1]",
                "intent_resolution_threshold", "require_approval", "colour"));
        for (int i = 0; i < bodies.size(); i++) {
            var r = create(app, bodies.get(i));
            String field = fields.get(i);
            assertThat(r.status()).as(field + ": " + r).isEqualTo(statusOf.get(field));
            assertThat(r.errorFields()).as(r.toString()).containsExactly(field);
        }
        assertThat(app.get("/v1/contracts/v-bad", ADMIN).status()).isEqualTo(404);
        var tooLong = app.get("/v1/contracts/" + "v".repeat(257), ADMIN);
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.errorFields()).containsExactly("version");
    }

    @Test
    void every_key_reads_versions_only_unscoped_admins_create_them() {
        create(app, strict("strict-roles"));
        assertThat(app.get("/v1/contracts", AGENT_A).status()).isEqualTo(200);
        assertThat(app.get("/v1/contracts/strict-roles", READER_A).status()).isEqualTo(200);
        assertThat(app.get("/v1/contracts", null).status()).isEqualTo(401);
        assertThat(app.post("/v1/contracts", READER_A, json(strict("strict-reader"))).status()).isEqualTo(403);
        assertThat(app.post("/v1/contracts", ADMIN_A, json(strict("strict-scoped"))).status()).isEqualTo(403);
        assertThat(app.get("/v1/contracts", ADMIN).json().path("data").findValuesAsText("version"))
                .contains("default-v1", "strict-roles").doesNotContain("strict-reader", "strict-scoped");
    }

    @Test
    void from_effective_from_on_by_occurred_at_the_activated_version_decides_the_subscriptions_outcomes() {
        create(app, strict("strict-switch"));
        var activated = activate(app, ADMIN, "strict-switch", "effective_from", "2026-03-02T10:10:00Z",
                "subscription_ref", "sub-switch");
        assertThat(activated.status()).as(activated.toString()).isEqualTo(201);
        assertThat(activated.json().toString()).isEqualTo(json(map("version", "strict-switch",
                "scope", "subscription", "subscription_ref", "sub-switch", "effective_from", "2026-03-02T10:10:00Z",
                "created_at", "2026-03-02T10:20:00Z")));

        JsonNode before = record(app, "switch-before", "sub-switch", "2026-03-02T10:09:59.999999Z");
        JsonNode at = record(app, "switch-at", "sub-switch", "2026-03-02T10:10:00Z");
        JsonNode otherSubscription = record(app, "switch-other", "sub-unswitched", "2026-03-02T10:15:00Z");

        assertThat(before.path("contract_version").asText()).isEqualTo("default-v1");
        assertThat(before.path("billable_units").asInt()).isEqualTo(1);
        assertThat(at.path("contract_version").asText()).isEqualTo("strict-switch");
        assertThat(at.path("billable_units").asInt()).isZero();
        assertThat(at.path("reason_codes").toString()).contains("required_outputs:missing=approval_ref");
        assertThat(otherSubscription.path("contract_version").asText()).isEqualTo("default-v1");

        JsonNode bundle = app.get("/v1/audit/corr-switch-at", ADMIN).json();
        assertThat(bundle.path("decision").path("contract_version").asText()).isEqualTo("strict-switch");
        assertThat(bundle.path("contract").path("version").asText()).isEqualTo("strict-switch");
        assertThat(bundle.path("contract").path("required_output_keys").toString()).isEqualTo("[\"approval_ref\"]");
        assertThat(app.get("/v1/audit/corr-switch-before", ADMIN).json().path("contract").path("required_output_keys"))
                .isEmpty();

        var again = activate(app, ADMIN, "strict-switch", "effective_from", "2026-03-02T10:10:00Z",
                "subscription_ref", "sub-switch");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        create(app, strict("strict-rival"));
        var rival = activate(app, ADMIN, "strict-rival", "effective_from", "2026-03-02T10:10:00Z",
                "subscription_ref", "sub-switch");
        assertThat(rival.status()).as(rival.toString()).isEqualTo(409);
        assertThat(rival.errorFields()).containsExactly("effective_from");
    }

    @Test
    void an_activation_is_validated_and_names_a_stored_version() {
        create(app, strict("strict-checks"));
        var unknown = activate(app, ADMIN, "never-created", "effective_from", "2026-03-02T11:00:00Z");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        var missing = activate(app, ADMIN, "strict-checks", "subscription_ref", "sub-x");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorFields()).containsExactly("effective_from");
        var zoneless = activate(app, ADMIN, "strict-checks", "effective_from", "2026-03-02T11:00:00");
        assertThat(zoneless.status()).isEqualTo(400);
        assertThat(zoneless.errorFields()).containsExactly("effective_from");
        var nanos = activate(app, ADMIN, "strict-checks", "effective_from", "2026-03-02T11:00:00.0000001Z",
                "subscription_ref", "sub-x");
        assertThat(nanos.status()).isEqualTo(422);
        assertThat(nanos.errorFields()).containsExactly("effective_from");
        var blank = activate(app, ADMIN, "strict-checks", "effective_from", "2026-03-02T11:00:00Z", "subscription_ref", " ");
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.errorFields()).containsExactly("subscription_ref");
    }

    @Test
    void a_scoped_admin_activates_for_its_own_subscriptions_only_and_a_scoped_reader_sees_only_their_periods() {
        create(app, strict("strict-scoped-admin"));
        assertThat(activate(app, ADMIN_A, "strict-scoped-admin", "effective_from", "2026-03-02T12:00:00Z",
                "subscription_ref", "sub-a").status()).isEqualTo(201);
        var elsewhere = activate(app, ADMIN_A, "strict-scoped-admin", "effective_from", "2026-03-02T12:00:00Z",
                "subscription_ref", "sub-b");
        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(elsewhere.errorFields()).containsExactly("subscription_ref");
        var global = activate(app, ADMIN_A, "strict-scoped-admin", "effective_from", "2026-03-02T12:00:00Z");
        assertThat(global.status()).isEqualTo(403);
        assertThat(global.errorFields()).containsExactly("subscription_ref");
        assertThat(activate(app, ADMIN, "strict-scoped-admin", "effective_from", "2026-03-02T12:00:00Z",
                "subscription_ref", "sub-b").status()).isEqualTo(201);

        assertThat(app.get("/v1/contracts/strict-scoped-admin", ADMIN).json().path("applies")
                .findValuesAsText("subscription_ref")).containsExactly("sub-a", "sub-b");
        assertThat(app.get("/v1/contracts/strict-scoped-admin", READER_A).json().path("applies")
                .findValuesAsText("subscription_ref")).containsExactly("sub-a");
    }

    @Test
    void an_activation_into_a_closed_hour_is_refused_and_a_global_activation_decides_every_other_subscription() {
        try (TestApp own = new TestApp().start()) {
            create(own, strict("strict-global"));
            record(own, "closed-1", "sub-closed", "2026-03-02T10:15:00Z");
            own.clock.setTo("2026-03-02T11:15:00Z");
            own.useCases.closeHours().closeDueHours(CloseHoursCommand.defaults());

            var intoClosed = activate(own, ADMIN, "strict-global", "effective_from", "2026-03-02T10:59:59.999999Z");
            assertThat(intoClosed.status()).as(intoClosed.toString()).isEqualTo(409);
            assertThat(intoClosed.errorFields()).containsExactly("effective_from");
            assertThat(intoClosed.json().path("detail").asText())
                    .contains("2026-03-02T10:00:00Z").contains("2026-03-02T11:00:00Z");
            assertThat(activate(own, ADMIN, "strict-global", "effective_from", "2026-03-02T10:30:00Z",
                    "subscription_ref", "sub-closed").status()).isEqualTo(409);
            assertThat(activate(own, ADMIN, "strict-global", "effective_from", "2026-03-02T10:30:00Z",
                    "subscription_ref", "sub-open").status()).isEqualTo(201);

            var atTheEnd = activate(own, ADMIN, "strict-global", "effective_from", "2026-03-02T11:00:00Z");
            assertThat(atTheEnd.status()).as(atTheEnd.toString()).isEqualTo(201);
            assertThat(atTheEnd.json().path("scope").asText()).isEqualTo("global");
            assertThat(atTheEnd.json().path("subscription_ref").isNull()).isTrue();
            assertThat(record(own, "global-after", "sub-any", "2026-03-02T11:10:00Z").path("contract_version").asText())
                    .isEqualTo("strict-global");
            assertThat(record(own, "global-before", "sub-any", "2026-03-02T10:59:00Z").path("contract_version").asText())
                    .isEqualTo("default-v1");

            JsonNode bootstrap = own.get("/v1/contracts/default-v1", READER_A).json();
            assertThat(bootstrap.path("bootstrap_default").asBoolean()).isTrue();
            assertThat(bootstrap.path("applies").toString()).isEqualTo(
                    "[{\"scope\":\"global\",\"subscription_ref\":null,\"effective_from\":null,"
                            + "\"effective_until\":\"2026-03-02T11:00:00Z\"}]");
        }
    }
}
