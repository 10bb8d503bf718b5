package io.taskmetering.application.service;

import io.taskmetering.application.model.HourQuantity;
import io.taskmetering.application.model.InsightCell;
import io.taskmetering.application.model.InsightQuery;
import io.taskmetering.application.port.in.InsightQueries;
import io.taskmetering.application.port.out.LoadInsightsPort;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.insight.InsightCounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The insights, folded from the cells storage keeps: at most one per subscription, hour, agent and version. */
public final class InsightQueryService implements InsightQueries {
    private final LoadInsightsPort insights;

    public InsightQueryService(LoadInsightsPort insights) {
        this.insights = insights;
    }

    @Override
    public List<InsightHour> hours(InsightQuery query) {
        Map<HourKey, InsightCounts> counts = new HashMap<>();
        for (InsightCell cell : insights.findInsightCells(query)) {
            counts.merge(new HourKey(cell.subscription(), cell.hour()), cell.counts(), InsightCounts::plus);
        }
        Map<HourKey, HourQuantity> quantities = new HashMap<>();
        if (query.agent() == null) {
            for (HourQuantity q : insights.findHourQuantities(query)) {
                HourKey key = new HourKey(q.subscription(), q.hour());
                quantities.put(key, q);
                counts.putIfAbsent(key, InsightCounts.NONE);
            }
        }
        List<InsightHour> rows = new ArrayList<>(counts.size());
        counts.forEach((key, c) -> {
            HourQuantity q = quantities.get(key);
            rows.add(new InsightHour(key.subscription(), key.hour(), c, q == null ? null : q.submitted(),
                    q == null ? null : q.accepted()));
        });
        rows.sort(Comparator.comparing(InsightHour::hour).thenComparing(r -> r.subscription().value()));
        return rows;
    }

    @Override
    public List<InsightGroup> summary(InsightQuery query, GroupBy groupBy) {
        Function<InsightCell, String> key = switch (groupBy) {
            case SUBSCRIPTION -> cell -> cell.subscription().value();
            case AGENT -> cell -> cell.agent().value();
            case AGENT_VERSION -> cell -> cell.agentVersion() == null ? UNKNOWN_VERSION : cell.agentVersion();
        };
        Map<String, InsightCounts> groups = new TreeMap<>();
        for (InsightCell cell : insights.findInsightCells(query)) {
            groups.merge(key.apply(cell), cell.counts(), InsightCounts::plus);
        }
        return groups.entrySet().stream().map(e -> new InsightGroup(e.getKey(), e.getValue())).toList();
    }

    private record HourKey(SubscriptionRef subscription, Instant hour) {
    }
}
