package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Answered;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Attempt;
import io.taskmetering.adapter.marketplace.AttemptOutcome.BatchRefused;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Transient;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Unauthorized;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Unexpected;
import io.taskmetering.adapter.marketplace.Verdicts.Verdict;
import io.taskmetering.domain.billing.BucketKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an HTTP answer of the Metering API means for the request that got it: the status table of
 * {@code docs/marketplace.md}, with each event's own answer left to {@link Verdicts}.
 */
final class Answers {
    private static final Logger log = LoggerFactory.getLogger(Answers.class);

    private Answers() {
    }

    /**
     * @param sending    the events of the request, in the order sent
     * @param retryAfter the answer's {@code Retry-After}, or null
     * @param token      the access token the request carried (refreshed after a 401/403 only if still current)
     */
    static AttemptOutcome classify(Endpoint endpoint, List<PendingEvent> sending, Attempt attempt, String token,
                                   int code, String text, Duration retryAfter) {
        String outcome = "http_" + code;
        JsonNode body = MarketplaceJson.parse(text);
        if (code == 401 || code == 403) {
            return new Unauthorized(attempt, outcome, MarketplaceJson.errorMessage(body, text), token);
        }
        if (code == 408 || code == 429 || code >= 500) {
            String detail = (retryAfter == null ? "" : "Retry-After " + retryAfter.toMillis() + " ms; ")
                    + Objects.toString(MarketplaceJson.errorMessage(body, text), "");
            return new Transient(attempt, outcome, detail.isEmpty() ? null : detail, retryAfter, true);
        }
        if (endpoint == Endpoint.BATCH) {
            return switch (code) {
                case 200 -> batch(sending, body, attempt);
                case 400 -> new BatchRefused(attempt, outcome, MarketplaceJson.errorMessage(body, text));
                default -> new Unexpected(attempt, outcome, MarketplaceJson.errorMessage(body, text));
            };
        }
        PendingEvent event = sending.get(0);
        Verdict verdict;
        if (code == 200) {
            if (body == null || !body.isObject()) {
                return new Transient(attempt, "unreadable_response", "200 without a readable body; fate unknown", null,
                        true);
            }
            verdict = Verdicts.ofItem(body, event.event);
            if (!verdict.terminal()) {
                return new Transient(attempt, verdict.outcome(), verdict.errorMessage(), null, true);
            }
        } else if (code == 400) {
            verdict = Verdicts.ofBadRequest(body, text);
        } else if (code == 409) {
            verdict = Verdicts.ofConflict(body, event.event);
        } else {
            return new Unexpected(attempt, outcome, MarketplaceJson.errorMessage(body, text));
        }
        return new Answered(attempt, verdict.outcome(), Map.of(event.key, verdict));
    }

    /** A batch 200: each event's item found by its {@link MatchKey}, never by position. */
    private static AttemptOutcome batch(List<PendingEvent> sending, JsonNode body, Attempt attempt) {
        JsonNode items = body == null ? null : body.get("result");
        if (items == null || !items.isArray()) {
            return new Transient(attempt, "unreadable_response", "200 without a readable result list; fate unknown",
                    null, true);
        }
        Map<MatchKey, JsonNode> byKey = new HashMap<>();
        for (JsonNode item : items) {
            MatchKey key = MatchKey.of(item);
            if (key == null) {
                log.atWarn().setMessage("batch answer item without resource, dimension, time or plan ignored")
                        .addKeyValue("event", "marketplace_item_unmatched").log();
            } else if (byKey.putIfAbsent(key, item) != null) {
                log.atWarn().setMessage("batch answer has two items for {}; the first one counts").addArgument(key)
                        .addKeyValue("event", "marketplace_item_twice").log();
            }
        }
        Map<BucketKey, Verdict> verdicts = new HashMap<>();
        for (PendingEvent event : sending) {
            JsonNode item = byKey.remove(event.matchKey);
            verdicts.put(event.key, item == null
                    ? Verdict.retryItem("missing_item", "the batch answer has no item for this event")
                    : Verdicts.ofItem(item, event.event));
        }
        if (!byKey.isEmpty()) {
            log.atWarn().setMessage("batch answer has {} items matching no event sent").addArgument(byKey.size())
                    .addKeyValue("event", "marketplace_item_unmatched").log();
        }
        return new Answered(attempt, "batch_200", verdicts);
    }
}
