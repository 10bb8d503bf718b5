package io.taskmetering.domain.usage;

import static io.taskmetering.domain.testdata.UsageRecordBuilder.aUsageRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.TaskId;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageFilterTest {
    private static final Instant START = Instant.parse("2026-02-06T00:00:00Z");
    private static final Instant END = Instant.parse("2026-02-07T00:00:00Z");

    private final UsageRecord record = aUsageRecord()
            .withTaskId("task-001").withAgentId("agent-alpha").withConsumerId("sub-contoso-001")
            .at("2026-02-06T14:05:00Z").build();

    @Test
    void allMatchesEveryRecord() {
        assertThat(UsageFilter.all()).isEqualTo(new UsageFilter(null, null, null, null, null));
        assertThat(UsageFilter.all().matches(record)).isTrue();
        assertThat(UsageFilter.all().matches(aUsageRecord().at("0001-01-01T00:00:00Z").build())).isTrue();
    }

    @Test
    void filtersByAgent() {
        assertThat(UsageFilter.all().withAgent(AgentId.of("agent-alpha")).matches(record)).isTrue();
        assertThat(UsageFilter.all().withAgent(AgentId.of("agent-beta")).matches(record)).isFalse();
    }

    @Test
    void filtersByConsumer() {
        assertThat(UsageFilter.all().withConsumer(ConsumerId.of("sub-contoso-001")).matches(record)).isTrue();
        assertThat(UsageFilter.all().withConsumer(ConsumerId.of("sub-fabrikam-002")).matches(record)).isFalse();
    }

    @Test
    void filtersByTask() {
        assertThat(UsageFilter.all().withTask(TaskId.of("task-001")).matches(record)).isTrue();
        assertThat(UsageFilter.all().withTask(TaskId.of("task-002")).matches(record)).isFalse();
    }

    @Test
    void everyCriterionMustHold() {
        UsageFilter filter = UsageFilter.all()
                .withAgent(AgentId.of("agent-alpha"))
                .withConsumer(ConsumerId.of("sub-contoso-001"))
                .withTask(TaskId.of("task-001"))
                .withPeriod(START, END);

        assertThat(filter.matches(record)).isTrue();
        assertThat(filter.withConsumer(ConsumerId.of("sub-other")).matches(record)).isFalse();
        assertThat(filter.withPeriod(END, null).matches(record)).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-02-05T23:59:59.999999Z, false",
        "2026-02-06T00:00:00Z,        true",
        "2026-02-06T12:00:00Z,        true",
        "2026-02-06T23:59:59.999999Z, true",
        "2026-02-07T00:00:00Z,        false"
    })
    void startIsInclusiveAndEndExclusive(String timestamp, boolean expected) {
        UsageFilter day = UsageFilter.all().withPeriod(START, END);

        assertThat(day.matches(aUsageRecord().at(timestamp).build())).isEqualTo(expected);
    }

    @Test
    void eitherBoundMayBeOpen() {
        UsageRecord early = aUsageRecord().at("2020-01-01T00:00:00Z").build();
        UsageRecord late = aUsageRecord().at("2030-01-01T00:00:00Z").build();

        assertThat(UsageFilter.all().withPeriod(START, null).matches(early)).isFalse();
        assertThat(UsageFilter.all().withPeriod(START, null).matches(late)).isTrue();
        assertThat(UsageFilter.all().withPeriod(null, END).matches(early)).isTrue();
        assertThat(UsageFilter.all().withPeriod(null, END).matches(late)).isFalse();
    }

    @Test
    void anEmptyPeriodIsAllowedAndMatchesNothing() {
        UsageFilter empty = UsageFilter.all().withPeriod(START, START);

        assertThat(empty.matches(aUsageRecord().at("2026-02-06T00:00:00Z").build())).isFalse();
    }

    @Test
    void startAfterEndIsRefusedOnStart() {
        assertThatThrownBy(() -> new UsageFilter(null, null, null, END, START))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("start: must not be after end")
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("start");
    }

    @Test
    void withersKeepTheOtherCriteria() {
        UsageFilter filter = new UsageFilter(AgentId.of("a"), ConsumerId.of("c"), TaskId.of("t"), START, END);

        assertThat(filter.withAgent(null)).isEqualTo(new UsageFilter(null, ConsumerId.of("c"), TaskId.of("t"), START, END));
        assertThat(filter.withConsumer(ConsumerId.of("d")))
                .isEqualTo(new UsageFilter(AgentId.of("a"), ConsumerId.of("d"), TaskId.of("t"), START, END));
        assertThat(filter.withTask(null)).isEqualTo(new UsageFilter(AgentId.of("a"), ConsumerId.of("c"), null, START, END));
        assertThat(filter.withPeriod(null, null))
                .isEqualTo(new UsageFilter(AgentId.of("a"), ConsumerId.of("c"), TaskId.of("t"), null, null));
    }
}
