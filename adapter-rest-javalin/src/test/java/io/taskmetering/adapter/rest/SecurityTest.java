package io.taskmetering.adapter.rest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import java.util.List;

import static io.taskmetering.adapter.rest.Bodies.heldOutcome;
import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.Bodies.usage;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_B;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.READER_B;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authentication, roles, and tenant isolation for every route family. */
class SecurityTest {
    @RegisterExtension
    static final TestApp app = new TestApp();

    @BeforeAll
    static void storeTestData() {
        // sub-a data
        assertThat(app.post("/v1/outcomes", AGENT_A, json(with(outcome("iso-a", "sub-a"), "correlation_id", "iso-corr-a"))).status())
                .isEqualTo(201);
        app.post("/v1/outcomes", AGENT_A, json(with(heldOutcome("iso-held-a", "sub-a"), "correlation_id", "iso-held-a")));
        assertThat(app.post("/v1/usage", AGENT_A, json(usage("iso-usage-a", "sub-a", "2026-02-06T10:00:00Z"))).status())
                .isEqualTo(201);
        // sub-b data
        app.post("/v1/outcomes", AGENT_B, json(with(outcome("iso-b", "sub-b"), "correlation_id", "iso-corr-b")));
        app.post("/v1/usage", AGENT_B, json(usage("iso-usage-b", "sub-b", "2026-02-06T11:00:00Z")));
    }

    @Test
    void without_a_valid_key_every_protected_route_is_401() {
        for (String path : List.of("/v1/charges", "/v1/usage", "/v1/audit/iso-corr-a", "/audit/iso-corr-a", "/v1/usage/export")) {
            var r = app.get(path, null);
            assertThat(r.status()).as(path).isEqualTo(401);
        }
        var bad = app.get("/v1/charges", "not-a-configured-key-xx");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.header("WWW-Authenticate")).isEqualTo("Bearer");
        var basic = app.send(app.request("/v1/charges", null).header("Authorization", "Basic " + ADMIN).GET());
        assertThat(basic.status()).isEqualTo(401);
        assertThat(app.post("/v1/outcomes", null, json(outcome("x", "sub-a"))).status()).isEqualTo(401);
    }

    @Test
    void roles_limit_what_a_key_may_do() {
        assertThat(app.get("/v1/charges", AGENT_A).status()).isEqualTo(403);
        assertThat(app.get("/v1/usage", AGENT_A).status()).isEqualTo(403);
        assertThat(app.post("/v1/outcomes", READER_A, json(outcome("r-1", "sub-a"))).status()).isEqualTo(403);
        assertThat(app.post("/v1/usage", READER_A, json(usage("r-1", "sub-a", "2026-02-06T10:00:00Z"))).status()).isEqualTo(403);
        assertThat(app.post("/evaluate_and_meter_task", READER_A, json(outcome("r-1", "sub-a"))).status()).isEqualTo(403);
        var forbidden = app.post("/v1/reviews/iso-held-a/approve", READER_A, null);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().path("detail").asText()).contains("admin").doesNotContain(READER_A);
        // admin may do everything, including writes
        assertThat(app.post("/v1/outcomes", ADMIN, json(outcome("r-admin", "sub-z"))).status()).isEqualTo(201);
    }

    @Test
    void outcomes_and_evaluations_of_another_subscription_are_refused_and_nothing_is_written() {
        var r = app.post("/v1/outcomes", AGENT_B, json(with(outcome("iso-x", "sub-a"), "correlation_id", "iso-x")));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorFields()).containsExactly("subscription_ref");
        assertThat(app.post("/v1/evaluations", AGENT_B, json(with(outcome("iso-x", "sub-a"), "correlation_id", "iso-x"))).status())
                .isEqualTo(403);
        assertThat(app.get("/v1/audit/iso-x", ADMIN).status()).isEqualTo(404);
        // replaying another tenant's correlation id neither writes nor reveals anything
        var reuse = app.post("/v1/outcomes", AGENT_B, json(with(outcome("iso-a", "sub-b"), "correlation_id", "iso-corr-a")));
        assertThat(reuse.status()).isEqualTo(409);
        assertThat(reuse.text()).doesNotContain("sub-a").doesNotContain("QUALIFIED");
    }

    @Test
    void audit_lookups_of_another_subscription_are_forbidden_without_revealing_it() {
        assertThat(app.get("/v1/audit/iso-corr-a", READER_A).status()).isEqualTo(200);
        var forbidden = app.get("/v1/audit/iso-corr-a", READER_B);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.errorFields()).containsExactly("correlation_id");
        assertThat(forbidden.text()).doesNotContain("sub-a").doesNotContain("task_id");
        assertThat(app.get("/audit/iso-corr-a", READER_B).status()).isEqualTo(403);
    }

    @Test
    void charge_listings_show_only_the_keys_subscriptions() {
        assertThat(app.get("/v1/charges?subscription_ref=sub-a", READER_B).status()).isEqualTo(403);
        var own = app.get("/v1/charges", READER_B);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.text()).contains("iso-corr-b").doesNotContain("iso-corr-a");
        assertThat(app.get("/v1/reviews?subscription_ref=sub-a", READER_B).status()).isEqualTo(403);
        assertThat(app.get("/v1/reviews", READER_B).text()).doesNotContain("iso-held-a");
        assertThat(app.get("/v1/reviews", READER_A).text()).contains("iso-held-a");
        for (String family : List.of("/v1/credits", "/v1/anomalies", "/v1/usage-events")) {
            assertThat(app.get(family + "?subscription_ref=sub-a", READER_B).status()).as(family).isEqualTo(403);
            var r = app.get(family, READER_B);
            assertThat(r.status()).as(family).isEqualTo(200);
            assertThat(r.text()).as(family).doesNotContain("sub-a");
        }
    }

    @Test
    void charge_actions_on_another_subscription_are_forbidden_and_change_nothing() {
        assertThat(app.post("/v1/charges/iso-corr-a/dispute", READER_B, json(map("reason", "x"))).status()).isEqualTo(403);
        assertThat(app.get("/v1/audit/iso-corr-a", READER_A).text()).doesNotContain("DISPUTED");
        app.post("/v1/outcomes", AGENT_A, json(with(heldOutcome("iso-held-a2", "sub-a"), "correlation_id", "iso-held-a2")));
        assertThat(app.post("/v1/reviews/iso-held-a2/reject", TestApp.ADMIN_A, null).status()).isEqualTo(200);
        assertThat(app.get("/v1/audit/iso-corr-b", TestApp.ADMIN_A).status()).isEqualTo(403);
        assertThat(app.post("/v1/charges/iso-corr-b/resolve", TestApp.ADMIN_A, json(map("decision", "reverse"))).status())
                .isEqualTo(403);
        assertThat(app.post("/v1/charges/no-such-charge/dispute", READER_B, json(map("reason", "x"))).status()).isEqualTo(404);
    }

    @Test
    void usage_records_are_scoped_by_consumer_id() {
        var write = app.post("/v1/usage", AGENT_B, json(usage("iso-u", "sub-a", "2026-02-06T10:00:00Z")));
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.errorFields()).containsExactly("consumer_id");
        var batch = app.post("/v1/usage/batch", AGENT_B, json(map("events", List.of(usage("iso-u", "sub-a", "2026-02-06T10:00:00Z")))));
        assertThat(batch.json().path("results").get(0).path("error").path("status").asInt()).isEqualTo(403);
        assertThat(app.get("/v1/usage/iso-u", ADMIN).status()).isEqualTo(404);

        assertThat(app.get("/v1/usage?consumer_id=sub-a", READER_B).status()).isEqualTo(403);
        assertThat(app.get("/v1/usage", READER_B).text()).contains("iso-usage-b").doesNotContain("iso-usage-a");
        assertThat(app.get("/v1/usage/iso-usage-a", READER_B).status()).isEqualTo(404);
        assertThat(app.get("/v1/usage/iso-usage-a", READER_A).status()).isEqualTo(200);
        assertThat(app.get("/v1/usage/export", READER_B).text()).contains("iso-usage-b").doesNotContain("iso-usage-a");
        assertThat(app.get("/v1/usage/export?format=json", READER_B).text()).doesNotContain("sub-a");
        assertThat(app.get("/v1/usage/export?consumer_id=sub-a", READER_B).status()).isEqualTo(403);
        assertThat(app.get("/v1/usage/aggregate?group_by=consumer", READER_B).text()).doesNotContain("sub-a");
        assertThat(app.get("/v1/usage/consumers", READER_B).text()).doesNotContain("sub-a");
        assertThat(app.get("/v1/usage/summary", READER_B).json().path("unique_consumers").asLong()).isEqualTo(1);
        assertThat(app.get("/v1/usage/agents?consumer_id=sub-a", READER_B).status()).isEqualTo(403);
        var stats = app.get("/v1/usage/stats", READER_B);
        assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
        assertThat(stats.json().path("total_events").asLong()).isEqualTo(1);
        var validate = app.post("/v1/usage/validate", AGENT_B, json(usage("iso-v", "sub-a", "2026-02-06T10:00:00Z")));
        assertThat(validate.json().path("valid").asBoolean()).isFalse();
        assertThat(validate.json().path("field").asText()).isEqualTo("consumer_id");
    }

    @Test
    void keys_are_never_logged_or_echoed() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            app.get("/v1/charges", READER_A);
            var wrong = app.get("/v1/charges", "wrong-key-but-long-enough");
            assertThat(wrong.text()).doesNotContain("wrong-key-but-long-enough");
            app.post("/v1/outcomes", AGENT_A, "{broken");
        } finally {
            root.detachAppender(appender);
        }
        assertThat(appender.list).isNotEmpty();
        for (ILoggingEvent event : appender.list) {
            String line = event.getFormattedMessage() + " " + event.getKeyValuePairs() + " " + event.getMDCPropertyMap();
            assertThat(line).doesNotContain(READER_A).doesNotContain(AGENT_A).doesNotContain("wrong-key-but-long-enough");
        }
        assertThat(appender.list.stream().map(ILoggingEvent::getFormattedMessage)).anyMatch(m -> m.contains("/v1/charges"));
        assertThat(RestConfig.withKeys(TestApp.keys()).toString()).doesNotContain(ADMIN).contains("***");
    }

    @Test
    void with_no_keys_only_loopback_clients_are_served_and_they_are_admins() {
        try (TestApp open = new TestApp(RestConfig.withKeys(List.of()), BillingPolicy.defaults(PlanId.of("p"))).start()) {
            assertThat(open.post("/v1/outcomes", null, json(outcome("lo-1", "sub-a"))).status()).isEqualTo(201);
            assertThat(open.get("/v1/charges", null).status()).isEqualTo(200);
        }
        Authenticator none = new Authenticator(List.of());
        assertThat(none.authenticate(null, "127.0.0.1").role()).isEqualTo(Role.ADMIN);
        assertThat(none.authenticate(null, "0:0:0:0:0:0:0:1").role()).isEqualTo(Role.ADMIN);
        assertThatThrownBy(() -> none.authenticate("Bearer whatever", "10.1.2.3"))
                .isInstanceOf(ApiException.class).extracting("status").isEqualTo(403);
        assertThat(Authenticator.isLoopback("localhost")).isFalse();
        assertThat(Authenticator.isLoopback("192.168.1.1")).isFalse();
        assertThat(Authenticator.isLoopback("[::1]")).isTrue();
    }

    @Test
    void keys_must_be_long_and_unique() {
        assertThatThrownBy(() -> new ApiKeyConfig("short", "abc", Role.ADMIN, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RestConfig.withKeys(List.of(new ApiKeyConfig("a", ADMIN, Role.ADMIN, null),
                new ApiKeyConfig("b", ADMIN, Role.READER, null)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(ADMIN);
    }
}
