package io.taskmetering.domain.usage;

import static io.taskmetering.domain.testdata.UsageRecordBuilder.aUsageRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.testdata.UsageRecordBuilder;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsageRecordTest {

    @Test
    void defaultsBuildAValidRecord() {
        UsageRecord record = aUsageRecord().build();

        assertThat(record.taskId()).isEqualTo(TaskId.of("task-001"));
        assertThat(record.agentId()).isEqualTo(AgentId.of("agent-alpha"));
        assertThat(record.consumerId()).isEqualTo(ConsumerId.of("sub-contoso-001"));
        assertThat(record.tokensIn()).isEqualTo(512);
        assertThat(record.tokensOut()).isEqualTo(128);
        assertThat(record.durationMs()).isEqualTo(1500);
        assertThat(record.apiCalls()).isEqualTo(3);
        assertThat(record.timestamp()).isEqualTo(Instant.parse("2025-06-01T14:05:00Z"));
    }

    @Test
    void zeroCountsAreValid() {
        UsageRecord record = aUsageRecord().withTokensIn(0).withTokensOut(0).withDurationMs(0).withApiCalls(0).build();

        assertThat(record.totalTokens()).isZero();
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                invalid("task_id", b -> b.withTaskId(null)),
                invalid("task_id", b -> b.withTaskId("   ")),
                invalid("task_id", b -> b.withTaskId("task\n001")),
                invalid("agent_id", b -> b.withAgentId(null)),
                invalid("agent_id", b -> b.withAgentId("")),
                invalid("consumer_id", b -> b.withConsumerId(null)),
                invalid("consumer_id", b -> b.withConsumerId(" \t")),
                invalid("tokens_in", b -> b.withTokensIn(-1)),
                invalid("tokens_out", b -> b.withTokensOut(-1)),
                invalid("duration_ms", b -> b.withDurationMs(-1)),
                invalid("api_calls", b -> b.withApiCalls(Long.MIN_VALUE)),
                invalid("timestamp", b -> b.withTimestamp(null)),
                invalid("timestamp", b -> b.at("0000-12-31T23:59:59.999999Z")),
                invalid("timestamp", b -> b.at("+10000-01-01T00:00:00Z")));
    }

    private static Arguments invalid(String field, UnaryOperator<UsageRecordBuilder> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFields")
    void refusesAnInvalidFieldAndNamesIt(String field, UnaryOperator<UsageRecordBuilder> change) {
        ThrowingCallable build = () -> change.apply(aUsageRecord()).build();

        assertThatThrownBy(build)
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"})
    void acceptsTheEdgesOfTheFourDigitYearRange(String timestamp) {
        assertThat(aUsageRecord().at(timestamp).build().timestamp()).isEqualTo(Instant.parse(timestamp));
    }

    @Test
    void totalTokensAddsInAndOut() {
        assertThat(aUsageRecord().withTokensIn(512).withTokensOut(128).build().totalTokens()).isEqualTo(640);
    }

    @Test
    void tokensWhoseSumOverflowsAreRefusedOnTokensOut() {
        ThrowingCallable build = () -> aUsageRecord().withTokensIn(Long.MAX_VALUE).withTokensOut(1).build();

        assertThatThrownBy(build)
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("tokens_out");
    }

    @Test
    void largestRepresentableTotalIsAccepted() {
        UsageRecord record = aUsageRecord().withTokensIn(Long.MAX_VALUE - 1).withTokensOut(1).build();

        assertThat(record.totalTokens()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void timestampIsTruncatedToMicrosecondsSoARoundTripStaysEqual() {
        UsageRecord withNanos = aUsageRecord().at("2026-02-06T14:30:00.123456789Z").build();
        UsageRecord asStored = aUsageRecord().at("2026-02-06T14:30:00.123456Z").build();

        assertThat(withNanos.timestamp()).isEqualTo(Instant.parse("2026-02-06T14:30:00.123456Z"));
        assertThat(withNanos).isEqualTo(asStored);
    }

    @Test
    void keyIsConsumerTaskAndTimestamp() {
        UsageRecord record = aUsageRecord().withTaskId("task-9").withConsumerId("sub-9").at("2026-02-06T14:30:00Z").build();

        assertThat(record.key())
                .isEqualTo(new UsageRecordKey(
                        ConsumerId.of("sub-9"), TaskId.of("task-9"), Instant.parse("2026-02-06T14:30:00Z")));
    }

    @Test
    void recordsDifferingOnlyInCountsShareAKey() {
        UsageRecord first = aUsageRecord().withTokensIn(1).build();
        UsageRecord resent = aUsageRecord().withTokensIn(2).withAgentId("agent-beta").build();

        assertThat(first.key()).isEqualTo(resent.key());
    }

    @Test
    void keyTruncatesItsTimestampLikeTheRecord() {
        UsageRecordKey key = new UsageRecordKey(
                ConsumerId.of("sub-contoso-001"), TaskId.of("task-001"), Instant.parse("2025-06-01T14:05:00.000000999Z"));

        assertThat(key).isEqualTo(aUsageRecord().build().key());
    }

    static Stream<Arguments> invalidKeys() {
        ConsumerId consumer = ConsumerId.of("c");
        TaskId task = TaskId.of("t");
        Instant now = Instant.parse("2026-02-06T14:30:00Z");
        return Stream.of(
                Arguments.of("consumer_id", (ThrowingCallable) () -> new UsageRecordKey(null, task, now)),
                Arguments.of("task_id", (ThrowingCallable) () -> new UsageRecordKey(consumer, null, now)),
                Arguments.of("timestamp", (ThrowingCallable) () -> new UsageRecordKey(consumer, task, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidKeys")
    void keyRequiresEveryPart(String field, ThrowingCallable construct) {
        assertThatThrownBy(construct)
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokens_in", "tokens_out", "duration_ms", "api_calls"})
    void aReportedCountAboveTheLimitIsRefusedAndNamed(String field) {
        long over = UsageRecord.MAX_COUNT + 1;
        UsageRecordBuilder builder = switch (field) {
            case "tokens_in" -> aUsageRecord().withTokensIn(over);
            case "tokens_out" -> aUsageRecord().withTokensOut(over);
            case "duration_ms" -> aUsageRecord().withDurationMs(over);
            default -> aUsageRecord().withApiCalls(over);
        };
        UsageRecord stored = builder.build();

        assertThatThrownBy(stored::requireReportable)
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo(field);
    }

    @Test
    void reportedCountsAtTheLimitAreAccepted() {
        long max = UsageRecord.MAX_COUNT;
        UsageRecord record = aUsageRecord().withTokensIn(max).withTokensOut(max).withDurationMs(max).withApiCalls(max)
                .build();

        assertThat(record.requireReportable()).isSameAs(record);
    }
}
