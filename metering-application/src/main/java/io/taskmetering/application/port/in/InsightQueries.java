package io.taskmetering.application.port.in;

import io.taskmetering.application.model.InsightQuery;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.insight.InsightCounts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Attempted against billed: per subscription hour, and as rates by subscription, agent or agent version. */
public interface InsightQueries {
    /** One row per subscription and UTC hour with anything in the window, oldest hour first, then subscription. */
    List<InsightHour> hours(InsightQuery query);

    /** The window's counts and rates per group, in group key order. */
    List<InsightGroup> summary(InsightQuery query, GroupBy groupBy);

    /**
     * @param quantitySubmitted the hour's usage-event quantity; null while no usage event exists, and when the rows
     *                          are filtered by agent (usage events are per subscription hour, not per agent)
     * @param quantityAccepted  what the Marketplace accepted; null until known, and when filtered by agent
     */
    record InsightHour(SubscriptionRef subscription, Instant hour, InsightCounts counts, Long quantitySubmitted,
                       Long quantityAccepted) {
        public InsightHour {
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(hour, "hour");
            Objects.requireNonNull(counts, "counts");
        }
    }

    /** @param key the subscription ref, agent id or agent version ({@link #UNKNOWN_VERSION} when none was reported) */
    record InsightGroup(String key, InsightCounts counts) {
        public InsightGroup {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(counts, "counts");
        }
    }

    /** The group of reports that named no agent version. */
    String UNKNOWN_VERSION = "unknown";

    enum GroupBy {
        SUBSCRIPTION, AGENT, AGENT_VERSION;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static GroupBy parse(String value) {
            for (GroupBy by : values()) {
                if (by.wireName().equals(value)) {
                    return by;
                }
            }
            throw new InvalidValueException("group_by", "must be one of subscription, agent, agent_version");
        }
    }
}
