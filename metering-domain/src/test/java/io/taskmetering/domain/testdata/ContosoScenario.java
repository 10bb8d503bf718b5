package io.taskmetering.domain.testdata;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.meter.Outcome;

import java.time.Instant;
import java.util.List;

/**
 * The Contoso example of the README: five reports in the hour 2025-06-01T14:00Z for sub-contoso-001, of which two are
 * billable (task-001, task-002), one failed (task-003, {@code terminal_success:failed}), one is a retry of task-001
 * (a duplicate) and one produced an empty result (task-005, {@code output_validation:invalid=result}). One usage event
 * of quantity 2 results.
 */
public final class ContosoScenario {
    public static final String SUBSCRIPTION = "sub-contoso-001";
    public static final String HOUR = "2025-06-01T14:00:00Z";
    /** While the hour is open: after the last report, before it closes. */
    public static final Instant DURING_HOUR = Instant.parse("2025-06-01T14:50:00Z");
    /** The hour's end plus the default 10-minute grace: the hour is closed. */
    public static final Instant AFTER_GRACE = Instant.parse("2025-06-01T15:10:00Z");
    /** The hour's usage event under plan {@code basic}. */
    public static final UsageEvent EXPECTED_EVENT = new UsageEvent(new BucketKey(SubscriptionRef.of(SUBSCRIPTION),
            Dimension.TASK_COMPLETED, BillingHour.parse(HOUR)), 2, PlanId.of("basic"));

    private ContosoScenario() {
    }

    /** The five outcomes in report order, each with a correlation id {@code corr-<n>}. */
    public static List<Outcome> outcomes() {
        return List.of(
                OutcomeBuilder.anOutcome().withCorrelationId("corr-1").forTask("task-001")
                        .occurredAt("2025-06-01T14:05:00Z").build(),
                OutcomeBuilder.anOutcome().withCorrelationId("corr-2").forTask("task-002")
                        .occurredAt("2025-06-01T14:12:00Z").build(),
                OutcomeBuilder.anOutcome().withCorrelationId("corr-3").forTask("task-003").failed()
                        .occurredAt("2025-06-01T14:20:00Z").build(),
                OutcomeBuilder.anOutcome().withCorrelationId("corr-4").forTask("task-001")
                        .occurredAt("2025-06-01T14:31:00Z").build(),
                OutcomeBuilder.anOutcome().withCorrelationId("corr-5").forTask("task-005").withEmptyResult()
                        .occurredAt("2025-06-01T14:44:00Z").build());
    }
}
