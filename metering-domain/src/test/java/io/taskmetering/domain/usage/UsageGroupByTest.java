package io.taskmetering.domain.usage;

import static io.taskmetering.domain.testdata.UsageRecordBuilder.aUsageRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsageGroupByTest {

    @ParameterizedTest
    @CsvSource({"agent, AGENT", "consumer, CONSUMER", "hour, HOUR", "day, DAY", "week, WEEK"})
    void parsesEveryWireName(String wireName, UsageGroupBy expected) {
        assertThat(UsageGroupBy.parse(wireName)).isEqualTo(expected);
        assertThat(expected.wireName()).isEqualTo(wireName);
    }

    @ParameterizedTest
    @EnumSource(UsageGroupBy.class)
    void wireNameRoundTrips(UsageGroupBy groupBy) {
        assertThat(UsageGroupBy.parse(groupBy.wireName())).isSameAs(groupBy);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", "month", "AGENT", " agent", "agents", "agent_id"})
    void refusesAnythingElseOnGroupBy(String value) {
        assertThatThrownBy(() -> UsageGroupBy.parse(value))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("group_by: must be one of agent, consumer, hour, day, week")
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("group_by");
    }

    @ParameterizedTest
    @CsvSource({"AGENT, agent_id", "CONSUMER, consumer_id", "HOUR, period", "DAY, period", "WEEK, period"})
    void namesTheApiFieldOfItsGroup(UsageGroupBy groupBy, String field) {
        assertThat(groupBy.groupField()).isEqualTo(field);
    }

    @Test
    void groupsByAgentAndConsumerId() {
        UsageRecord record = aUsageRecord().withAgentId("agent-beta").withConsumerId("sub-fabrikam-002").build();

        assertThat(UsageGroupBy.AGENT.groupKey(record)).isEqualTo("agent-beta");
        assertThat(UsageGroupBy.CONSUMER.groupKey(record)).isEqualTo("sub-fabrikam-002");
    }

    @ParameterizedTest
    @CsvSource({
        "2026-02-06T14:00:00Z,        2026-02-06T14:00:00Z",
        "2026-02-06T14:59:59.999999Z, 2026-02-06T14:00:00Z",
        "2026-02-06T15:00:00Z,        2026-02-06T15:00:00Z",
        "2026-12-31T23:30:00Z,        2026-12-31T23:00:00Z"
    })
    void groupsByTheTopOfTheUtcHour(String timestamp, String hour) {
        assertThat(UsageGroupBy.HOUR.groupKey(aUsageRecord().at(timestamp).build())).isEqualTo(hour);
    }

    @ParameterizedTest
    @CsvSource({
        "2026-02-06T00:00:00Z,        2026-02-06",
        "2026-02-06T23:59:59.999999Z, 2026-02-06",
        "2026-02-07T00:00:00Z,        2026-02-07",
        "0001-01-01T00:00:00Z,        0001-01-01"
    })
    void groupsByTheUtcDay(String timestamp, String day) {
        assertThat(UsageGroupBy.DAY.groupKey(aUsageRecord().at(timestamp).build())).isEqualTo(day);
    }

    @ParameterizedTest(name = "{0} is in {1}")
    @CsvSource({
        "2026-02-06T14:30:00Z, 2026-W06",
        "2026-02-01T23:59:59Z, 2026-W05",
        "2026-02-02T00:00:00Z, 2026-W06",
        "2024-12-29T12:00:00Z, 2024-W52",
        "2024-12-30T00:00:00Z, 2025-W01",
        "2024-12-31T23:59:59Z, 2025-W01",
        "2025-12-28T12:00:00Z, 2025-W52",
        "2025-12-29T00:00:00Z, 2026-W01",
        "2026-01-01T00:00:00Z, 2026-W01",
        "2026-12-31T12:00:00Z, 2026-W53",
        "2027-01-01T00:00:00Z, 2026-W53",
        "2027-01-03T23:59:59Z, 2026-W53",
        "2027-01-04T00:00:00Z, 2027-W01",
        "2021-01-03T12:00:00Z, 2020-W53",
        "0001-01-01T00:00:00Z, 0001-W01"
    })
    void groupsByIsoWeekOfTheWeekBasedYear(String timestamp, String week) {
        assertThat(UsageGroupBy.WEEK.groupKey(aUsageRecord().at(timestamp).build())).isEqualTo(week);
    }
}
