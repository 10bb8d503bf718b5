package io.taskmetering.adapter.rest;

import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.application.port.out.StorageException;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.taskmetering.adapter.rest.Bodies.heldOutcome;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Failures from below the API map to one problem shape: a lost race is 409, anything unexpected a bare 500. */
class ErrorMappingTest {
    static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp(RestConfig.withKeys(TestApp.keys()), BillingPolicy.defaults(PlanId.of("p")), real ->
                new UseCases(real.recordOutcome(), real.recordOutcomeBatch(), real.evaluateOutcome(), real.evidenceBundle(),
                        query -> {
                            throw new IllegalStateException("db password is hunter2 at io.secret.Thing");
                        },
                        command -> {
                            throw new ConcurrentUpdateException("charge changed meanwhile");
                        },
                        real.disputeCharge(), real.resolveDispute(), real.listCredits(),
                        query -> {
                            throw new StorageException("connection refused to db-host:5432", true, null);
                        },
                        real.listUsageEvents(), real.closeHours(), real.submitUsageEvents(), real.recordUsage(),
                        real.recordUsageBatch(), real.listUsage(), real.taskUsage(), real.aggregateUsage(),
                        real.summarizeUsage(), real.exportUsage(), real.usageStats(), real.purgeExpired(),
                        () -> {
                            throw new StorageException("connection refused to db-host:5432", true, null);
                        }));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void a_concurrent_update_is_409() {
        app.post("/v1/outcomes", ADMIN, json(with(heldOutcome("race-1", "sub-a"), "correlation_id", "race-1")));
        var r = app.post("/v1/reviews/race-1/approve", ADMIN, null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("detail").asText()).contains("retry");
    }

    @Test
    void storage_that_is_unavailable_is_503_with_retry_after_and_no_details() {
        var r = app.get("/v1/anomalies", ADMIN);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(r.json().path("detail").asText()).contains("retry");
        assertThat(r.text()).doesNotContain("db-host");
    }

    @Test
    void an_unexpected_failure_is_500_without_details() {
        var r = app.get("/v1/charges", ADMIN);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text()).doesNotContain("hunter2").doesNotContain("IllegalState").doesNotContain("io.secret");
        assertThat(r.json().path("detail").asText()).contains("X-Request-Id");
        assertThat(r.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void backlog_gauges_of_an_unavailable_database_are_nan_and_the_scrape_still_answers() {
        var r = app.get("/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("metering_charges_pending_review NaN").contains("metering_usage_events_pending NaN")
                .doesNotContain("db-host");
    }
}
