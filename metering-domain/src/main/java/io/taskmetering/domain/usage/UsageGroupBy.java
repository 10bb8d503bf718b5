package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.InvalidValueException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * How {@code GET /usage/aggregate} groups usage records ({@code group_by}). Periods are UTC; their keys sort
 * chronologically as text because timestamps are limited to four-digit years.
 */
public enum UsageGroupBy {
    AGENT("agent", "agent_id"),
    CONSUMER("consumer", "consumer_id"),
    HOUR("hour", "period"),
    DAY("day", "period"),
    WEEK("week", "period");

    private final String wireName;
    private final String groupField;

    UsageGroupBy(String wireName, String groupField) {
        this.wireName = wireName;
        this.groupField = groupField;
    }

    /** The {@code group_by} value on the wire, e.g. {@code agent}. */
    public String wireName() {
        return wireName;
    }

    /** The API field that carries the group key in an aggregate: {@code agent_id}, {@code consumer_id} or {@code period}. */
    public String groupField() {
        return groupField;
    }

    /** Parses a wire name exactly (lower case, no padding), so each grouping has one spelling. */
    public static UsageGroupBy parse(String value) {
        for (UsageGroupBy groupBy : values()) {
            if (groupBy.wireName.equals(value)) {
                return groupBy;
            }
        }
        throw new InvalidValueException("group_by", "must be one of agent, consumer, hour, day, week");
    }

    /**
     * The group a record falls in: the agent id, the consumer id, the UTC hour ({@code 2026-02-06T14:00:00Z}),
     * the UTC day ({@code 2026-02-06}) or the ISO week ({@code 2026-W06}, week-based year, so 2024-12-30 is
     * {@code 2025-W01}).
     */
    public String groupKey(UsageRecord record) {
        return switch (this) {
            case AGENT -> record.agentId().value();
            case CONSUMER -> record.consumerId().value();
            case HOUR -> record.timestamp().truncatedTo(ChronoUnit.HOURS).toString();
            case DAY -> utcDate(record).toString();
            case WEEK -> isoWeek(utcDate(record));
        };
    }

    private static LocalDate utcDate(UsageRecord record) {
        return LocalDate.ofInstant(record.timestamp(), ZoneOffset.UTC);
    }

    private static String isoWeek(LocalDate date) {
        return String.format(
                Locale.ROOT,
                "%04d-W%02d",
                date.get(IsoFields.WEEK_BASED_YEAR),
                date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
