package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.UsageEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/**
 * One event's answer as a result (the classification table of {@code docs/marketplace.md}): a batch item, or a
 * single-event 200, 400 or 409 body.
 */
final class Verdicts {
    static final String EFFECTIVE_START_TIME = "effectivestarttime";

    private Verdicts() {
    }

    /**
     * What the Marketplace said about one event.
     *
     * @param terminal false only for a batch item answered {@code Error} (or missing): retried a bounded number of times
     * @param outcome  the short classification stored with the attempt
     */
    record Verdict(boolean terminal, SubmissionStatus status, String usageEventId, Instant messageTime,
                   Long marketplaceQuantity, String errorCode, String errorMessage, String outcome) {

        static Verdict of(SubmissionStatus status, String errorCode, String errorMessage, String outcome) {
            return new Verdict(true, status, null, null, null, errorCode, errorMessage, outcome);
        }

        static Verdict retryItem(String outcome, String errorMessage) {
            return new Verdict(false, SubmissionStatus.RETRY_LATER, null, null, null, "Error", errorMessage, outcome);
        }
    }

    /** A batch item, or a single-event 200 body: by its {@code status}. */
    static Verdict ofItem(JsonNode item, UsageEvent event) {
        String status = MarketplaceJson.text(item, "status");
        JsonNode error = MarketplaceJson.path(item, "error");
        String message = MarketplaceJson.errorMessage(error, null);
        if (status == null) {
            return Verdict.of(SubmissionStatus.REJECTED, "UnknownStatus", "the answer carries no status", "unknown_status");
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "accepted" -> new Verdict(true, SubmissionStatus.ACCEPTED, MarketplaceJson.text(item, "usageEventId"),
                    MarketplaceJson.instant(MarketplaceJson.text(item, "messageTime")), null, null, null, "accepted");
            case "duplicate" -> duplicate(MarketplaceJson.path(error, "additionalInfo", "acceptedMessage"), event, message);
            case "expired" -> Verdict.of(SubmissionStatus.EXPIRED, "Expired", message, "expired");
            case "resourcenotfound", "resourcenotactive", "resourcenotauthorized", "invaliddimension",
                    "invalidquantity", "badargument" ->
                    Verdict.of(SubmissionStatus.REJECTED, status, message, "rejected_" + status.toLowerCase(Locale.ROOT));
            case "error" -> Verdict.retryItem("item_error", message);
            default -> Verdict.of(SubmissionStatus.REJECTED, "UnknownStatus",
                    "unknown status '" + MarketplaceJson.shorten(status) + "'" + (message == null ? "" : ": " + message),
                    "unknown_status");
        };
    }

    /** A single-event 400: expired when it is about {@code effectiveStartTime}, otherwise rejected for good. */
    static Verdict ofBadRequest(JsonNode body, String rawBody) {
        String code = MarketplaceJson.errorCode(body);
        String message = MarketplaceJson.errorMessage(body, rawBody);
        if (MarketplaceJson.targets(body).contains(EFFECTIVE_START_TIME)) {
            return Verdict.of(SubmissionStatus.EXPIRED, code == null ? "http_400" : code, message, "expired_http_400");
        }
        return Verdict.of(SubmissionStatus.REJECTED, code == null ? "http_400" : code, message, "rejected_http_400");
    }

    /** A single-event 409. */
    static Verdict ofConflict(JsonNode body, UsageEvent event) {
        return duplicate(MarketplaceJson.path(body, "additionalInfo", "acceptedMessage"), event,
                MarketplaceJson.errorMessage(body, null));
    }

    /**
     * A duplicate: the Marketplace already holds an event for this hour key (first write wins). With our quantity
     * (and plan) it is our earlier attempt that landed, so it counts as accepted under the original
     * {@code usageEventId}; anything else, or an answer that does not say what is held, is a discrepancy.
     */
    static Verdict duplicate(JsonNode accepted, UsageEvent event, String message) {
        BigDecimal held = accepted == null ? null : MarketplaceJson.decimal(accepted.get("quantity"));
        if (held == null) {
            return new Verdict(true, SubmissionStatus.DISCREPANCY, null, null, null, "Duplicate",
                    "the Marketplace reports a duplicate without the accepted event, so the quantity it holds is unknown"
                            + (message == null ? "" : " (" + message + ")"), "duplicate_unknown_quantity");
        }
        String usageEventId = MarketplaceJson.text(accepted, "usageEventId");
        Instant messageTime = MarketplaceJson.instant(MarketplaceJson.text(accepted, "messageTime"));
        String heldPlan = MarketplaceJson.text(accepted, "planId");
        boolean samePlan = heldPlan == null || heldPlan.equalsIgnoreCase(event.planId().value());
        if (held.compareTo(BigDecimal.valueOf(event.quantity())) == 0 && samePlan) {
            return new Verdict(true, SubmissionStatus.DUPLICATE_ACCEPTED, usageEventId, messageTime, event.quantity(),
                    null, null, "duplicate_accepted");
        }
        Long heldQuantity = MarketplaceJson.wholeNumber(held);
        String detail = "the Marketplace already holds quantity " + held.toPlainString()
                + (heldPlan == null ? "" : " under plan " + heldPlan) + " for this hour (usageEventId "
                + usageEventId + "); we sent " + event.quantity() + " under plan " + event.planId().value();
        return new Verdict(true, SubmissionStatus.DISCREPANCY, usageEventId, messageTime, heldQuantity, "Duplicate",
                MarketplaceJson.shorten(detail), "duplicate_discrepancy");
    }
}
