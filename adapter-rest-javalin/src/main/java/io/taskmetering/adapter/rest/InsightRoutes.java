package io.taskmetering.adapter.rest;

import io.taskmetering.application.model.InsightQuery;
import io.taskmetering.application.port.in.InsightQueries;
import io.taskmetering.application.port.in.InsightQueries.GroupBy;
import io.taskmetering.application.port.in.InsightQueries.InsightGroup;
import io.taskmetering.application.port.in.InsightQueries.InsightHour;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.insight.InsightCounts;
import io.taskmetering.domain.insight.Rate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Insights under {@code /v1/insights}: attempted against billed per subscription hour, and the revenue-quality rates.
 * Readers and admins; a key scoped to subscriptions sees only those.
 */
final class InsightRoutes {
    /** Without from and to: the last 24 whole hours, up to the end of the current one. */
    private static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final UseCases useCases;

    InsightRoutes(UseCases useCases) {
        this.useCases = useCases;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/v1/insights/hours", Access.READ, this::hours),
                Route.get("/v1/insights/summary", Access.READ, this::summary));
    }

    private static InsightQuery query(Exchange ex, QueryParams q) {
        var subscriptions = ex.caller().subscriptionFilter("subscription_ref", q.string("subscription_ref"));
        String agent = q.string("agent_id");
        Instant from = q.timestamp("from");
        Instant to = q.timestamp("to");
        Instant end = to != null ? to : from != null ? from.plus(DEFAULT_WINDOW)
                : ex.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant start = from != null ? from : end.minus(DEFAULT_WINDOW);
        return Requests.validated(() -> new InsightQuery(subscriptions, agent == null ? null : new AgentId(agent),
                start, end));
    }

    private void hours(Exchange ex) {
        QueryParams q = ex.query("from", "to", "subscription_ref", "agent_id");
        InsightQuery query = query(ex, q);
        List<HourBody> data = useCases.insights().hours(query).stream().map(HourBody::of).toList();
        ex.respond(200, new HoursBody(Timestamps.format(query.from()), Timestamps.format(query.to()), data, data.size()));
    }

    private void summary(Exchange ex) {
        QueryParams q = ex.query("from", "to", "subscription_ref", "agent_id", "group_by");
        String by = q.string("group_by");
        GroupBy groupBy = by == null ? GroupBy.SUBSCRIPTION : Requests.validated(() -> GroupBy.parse(by));
        InsightQuery query = query(ex, q);
        List<InsightGroup> groups = useCases.insights().summary(query, groupBy);
        InsightCounts total = groups.stream().map(InsightGroup::counts).reduce(InsightCounts.NONE, InsightCounts::plus);
        ex.respond(200, new SummaryBody(Timestamps.format(query.from()), Timestamps.format(query.to()),
                groupBy.wireName(), GroupBody.of("total", total), groups.stream()
                .map(g -> GroupBody.of(g.key(), g.counts())).toList()));
    }

    record HoursBody(String from, String to, List<HourBody> data, int count) {
    }

    record HourBody(String subscriptionRef, String hour, long attempted, long billable, long duplicates,
                    long notBillable, Map<String, Long> notBillableByGate, long heldForReview, long disputed,
                    long reversed, Long quantitySubmitted, Long quantityAccepted) {
        static HourBody of(InsightHour h) {
            InsightCounts c = h.counts();
            return new HourBody(h.subscription().value(), Timestamps.format(h.hour()), c.attempted(), c.billable(),
                    c.duplicates(), c.notBillable(), c.notBillableByGateSorted(), c.heldForReview(), c.disputed(),
                    c.reversed(), h.quantitySubmitted(), h.quantityAccepted());
        }
    }

    record SummaryBody(String from, String to, String groupBy, GroupBody total, List<GroupBody> data) {
    }

    record GroupBody(String key, CountsBody counts, RateBody conversionRate, RateBody duplicateSuppressionRate,
                     RateBody reviewRate, RateBody disputeRate, RateBody reversalRate, RateBody evidenceCompleteness) {
        static GroupBody of(String key, InsightCounts c) {
            return new GroupBody(key, CountsBody.of(c), RateBody.of(c.conversion()),
                    RateBody.of(c.duplicateSuppression()), RateBody.of(c.review()), RateBody.of(c.dispute()),
                    RateBody.of(c.reversal()), RateBody.of(c.evidenceCompleteness()));
        }
    }

    record CountsBody(long attempted, long billable, long duplicates, long notBillable,
                      Map<String, Long> notBillableByGate, long evidenceComplete, long charges, long heldForReview,
                      long disputed, long reversed) {
        static CountsBody of(InsightCounts c) {
            return new CountsBody(c.attempted(), c.billable(), c.duplicates(), c.notBillable(),
                    c.notBillableByGateSorted(), c.evidenceComplete(), c.charges(), c.heldForReview(), c.disputed(),
                    c.reversed());
        }
    }

    /** @param value numerator / denominator; null when the denominator is 0 */
    record RateBody(Double value, long numerator, long denominator) {
        static RateBody of(Rate rate) {
            return new RateBody(rate.value(), rate.numerator(), rate.denominator());
        }
    }
}
