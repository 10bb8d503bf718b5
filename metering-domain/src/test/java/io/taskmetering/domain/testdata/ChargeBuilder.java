package io.taskmetering.domain.testdata;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;

import java.time.Instant;
import java.util.List;

/**
 * Builds {@link Charge}s in any state with consistent invariants, shared with other modules through the domain
 * test-jar. Defaults: the Contoso task-001 in hour 2025-06-01T14:00Z, QUALIFIED, counted, version 0.
 *
 * <p>{@link #inState} picks the {@code counted} flag the state implies (held and waived: not counted; qualified,
 * billable: counted; disputed and reversed: counted unless {@link #counted(boolean)} says otherwise), so a test only
 * states what it is about.
 */
public final class ChargeBuilder {
    public static final Instant DEFAULT_OCCURRED_AT = Instant.parse("2025-06-01T14:05:00Z");

    private String correlationId = "corr-task-001";
    private String subscription = "sub-contoso-001";
    private String dimension = Dimension.TASK_COMPLETED.value();
    private String taskId = "task-001";
    private DedupeScope dedupeScope = DedupeScope.TASK;
    private String agentId = "agent-alpha";
    private Instant occurredAt = DEFAULT_OCCURRED_AT;
    private BillingHour billingHour;
    private boolean late;
    private ChargeState state = ChargeState.QUALIFIED;
    private ChargeState disputedFrom;
    private Boolean counted;
    private List<String> holdReasons;
    private long version;
    private Instant updatedAt = Instant.parse("2025-06-01T14:06:00Z");

    private ChargeBuilder() {
    }

    public static ChargeBuilder aCharge() {
        return new ChargeBuilder();
    }

    /** A new QUALIFIED charge, counted in its own hour. */
    public static ChargeBuilder aQualifiedCharge() {
        return aCharge().inState(ChargeState.QUALIFIED);
    }

    /** A new charge held for review with reason {@code human_handoff}. */
    public static ChargeBuilder aHeldCharge() {
        return aCharge().inState(ChargeState.PENDING_REVIEW);
    }

    public ChargeBuilder withCorrelationId(String value) {
        this.correlationId = value;
        return this;
    }

    public ChargeBuilder forTask(String value) {
        this.taskId = value;
        return this;
    }

    public ChargeBuilder forSubscription(String value) {
        this.subscription = value;
        return this;
    }

    public ChargeBuilder withDimension(String value) {
        this.dimension = value;
        return this;
    }

    public ChargeBuilder withDedupeScope(DedupeScope value) {
        this.dedupeScope = value;
        return this;
    }

    public ChargeBuilder byAgent(String value) {
        this.agentId = value;
        return this;
    }

    /** When the task happened; also its billing hour unless {@link #inHour} says otherwise. */
    public ChargeBuilder occurredAt(Instant value) {
        this.occurredAt = value;
        return this;
    }

    public ChargeBuilder occurredAt(String iso) {
        return occurredAt(Instant.parse(iso));
    }

    public ChargeBuilder inHour(BillingHour value) {
        this.billingHour = value;
        return this;
    }

    public ChargeBuilder inHour(String iso) {
        return inHour(BillingHour.parse(iso));
    }

    public ChargeBuilder late(boolean value) {
        this.late = value;
        return this;
    }

    /** Sets the state; DISPUTED defaults to disputed from QUALIFIED. */
    public ChargeBuilder inState(ChargeState value) {
        this.state = value;
        if (value == ChargeState.DISPUTED && disputedFrom == null) {
            disputedFrom = ChargeState.QUALIFIED;
        }
        if (value != ChargeState.DISPUTED) {
            disputedFrom = null;
        }
        return this;
    }

    /** DISPUTED, having been {@code from} when the dispute started. */
    public ChargeBuilder disputedFrom(ChargeState from) {
        this.state = ChargeState.DISPUTED;
        this.disputedFrom = from;
        return this;
    }

    public ChargeBuilder counted(boolean value) {
        this.counted = value;
        return this;
    }

    public ChargeBuilder withHoldReasons(String... reasons) {
        this.holdReasons = List.of(reasons);
        return this;
    }

    public ChargeBuilder atVersion(long value) {
        this.version = value;
        return this;
    }

    public ChargeBuilder updatedAt(Instant value) {
        this.updatedAt = value;
        return this;
    }

    public ChargeKey key() {
        return ChargeKey.of(dedupeScope, SubscriptionRef.of(subscription), Dimension.of(dimension), TaskId.of(taskId),
                BillingHour.containing(occurredAt));
    }

    public Charge build() {
        BillingHour hour = billingHour != null ? billingHour : BillingHour.containing(occurredAt);
        boolean isCounted = counted != null ? counted : switch (state) {
            case PENDING_REVIEW, WAIVED -> false;
            case QUALIFIED, BILLABLE, DISPUTED, REVERSED -> true;
        };
        List<String> reasons = holdReasons != null ? holdReasons
                : state == ChargeState.PENDING_REVIEW || state == ChargeState.WAIVED ? List.of("human_handoff") : List.of();
        return new Charge(CorrelationId.of(correlationId), key(), AgentId.of(agentId), occurredAt, hour, late, state,
                state == ChargeState.DISPUTED ? disputedFrom : null, isCounted, reasons, version, updatedAt);
    }

    /** The attribution of the built charge's hour, as the services pass it around. */
    public HourAttribution attribution() {
        return new HourAttribution(billingHour != null ? billingHour : BillingHour.containing(occurredAt), late);
    }
}
