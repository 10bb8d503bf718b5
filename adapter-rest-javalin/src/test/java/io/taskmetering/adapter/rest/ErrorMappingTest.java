package io.taskmetering.adapter.rest;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.ChargeQueries;
import io.taskmetering.application.port.in.ChargeQueries.CreditsQuery;
import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.port.in.UsageEventQueries.Backlog;
import io.taskmetering.application.port.in.UsageEventQueries;
import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.application.port.out.StorageException;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Optional;

import static io.taskmetering.adapter.rest.Bodies.heldOutcome;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Failures from below the API map to one problem shape: a lost race is 409, anything unexpected a bare 500. */
class ErrorMappingTest {
    @RegisterExtension
    static final TestApp app = new TestApp(RestConfig.withKeys(TestApp.keys()), BillingPolicy.defaults(PlanId.of("p")),
            real -> new UseCases(real.recordOutcome(), real.recordOutcomeBatch(), real.evaluateOutcome(),
                    command -> {
                        throw new ConcurrentUpdateException("charge changed meanwhile");
                    },
                    real.disputeCharge(), real.resolveDispute(), real.closeHours(), real.submitUsageEvents(),
                    real.recordUsage(), real.purgeExpired(), new FailingChargeQueries(real.charges()), real.usage(),
                    new UsageEventQueries() {
                        @Override
                        public Page<UsageEventRecord> listUsageEvents(UsageEventQuery query) {
                            return real.usageEvents().listUsageEvents(query);
                        }

                        @Override
                        public Backlog backlog() {
                            throw new StorageException("connection refused to db-host:5432", true, null);
                        }
                    }, real.createContractVersion(), real.activateContract(), real.contracts(),
                    real.startShadow(), real.stopShadow(), real.shadows(), real.replays(), real.insights(),
                    real.reconcile(), real.reconciliations(), real.ingestTraces()));

    /** Listing charges fails unexpectedly, listing anomalies finds the database unavailable. */
    private record FailingChargeQueries(ChargeQueries real) implements ChargeQueries {
        @Override
        public Page<Charge> listCharges(ChargeQuery query) {
            throw new IllegalStateException("db password is hunter2 at io.secret.Thing");
        }

        @Override
        public Page<LedgerEntry> listCredits(CreditsQuery query) {
            return real.listCredits(query);
        }

        @Override
        public Page<Anomaly> listAnomalies(AnomalyQuery query) {
            throw new StorageException("connection refused to db-host:5432", true, null);
        }

        @Override
        public Optional<EvidenceBundle> evidenceBundle(CorrelationId correlationId) {
            return real.evidenceBundle(correlationId);
        }
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
