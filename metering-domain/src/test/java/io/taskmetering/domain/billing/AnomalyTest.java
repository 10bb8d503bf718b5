package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnomalyTest {
    private static final SubscriptionRef CONTOSO = SubscriptionRef.of("sub-contoso-001");
    private static final BillingHour HOUR = BillingHour.parse("2025-06-01T14:00:00Z");
    private static final Instant AT = Instant.parse("2025-06-01T14:30:00Z");

    @Test
    void aCapAnomalyCarriesEveryFieldOfTheDesign() {
        Anomaly anomaly = Anomaly.capExceeded("a-1", CONTOSO, new CapVerdict.OverCap(CapType.HOURLY, 2, 3),
                TaskId.of("task-009"), CorrelationId.of("corr-9"), Dimension.TASK_COMPLETED, HOUR, AT);

        assertThat(anomaly.type()).isEqualTo(AnomalyType.CAP_EXCEEDED);
        assertThat(anomaly.subscription()).isEqualTo(CONTOSO);
        assertThat(anomaly.capType()).isEqualTo(CapType.HOURLY);
        assertThat(anomaly.capValue()).isEqualTo(2L);
        assertThat(anomaly.actualValue()).isEqualTo(3L);
        assertThat(anomaly.taskId()).isEqualTo(TaskId.of("task-009"));
        assertThat(anomaly.correlationId()).isEqualTo(CorrelationId.of("corr-9"));
        assertThat(anomaly.occurredAt()).isEqualTo(AT);
        assertThat(anomaly.hour()).isEqualTo(HOUR);
        assertThat(anomaly.detail()).isEqualTo("hourly cap 2 exceeded (would be 3); charge held for review");
    }

    @Test
    void anHourAnomalyNamesTheHourAndLeavesCapFieldsEmpty() {
        BucketKey key = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, HOUR);

        Anomaly anomaly = Anomaly.forHour("a-2", AnomalyType.SUBMISSION_DEADLINE, key, "given up", AT);

        assertThat(anomaly.hour()).isEqualTo(HOUR);
        assertThat(anomaly.dimension()).isEqualTo(Dimension.TASK_COMPLETED);
        assertThat(anomaly.capType()).isNull();
        assertThat(anomaly.capValue()).isNull();
        assertThat(anomaly.taskId()).isNull();
        assertThat(anomaly.correlationId()).isNull();
    }

    @Test
    void refusesABlankId() {
        BucketKey key = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, HOUR);

        assertThatThrownBy(() -> Anomaly.forHour(" ", AnomalyType.SUBMISSION_EXPIRED, key, "x", AT))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("anomaly_id");
    }

    @ParameterizedTest
    @EnumSource(AnomalyType.class)
    void typesParseFromTheirWireNameOrConstantName(AnomalyType type) {
        assertThat(AnomalyType.parse(type.wireName())).isEqualTo(type);
        assertThat(AnomalyType.parse(type.name())).isEqualTo(type);
        assertThat(type.wireName()).isEqualTo(type.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void anUnknownTypeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> AnomalyType.parse("cap"))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("type");
    }
}
