package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.domain.billing.UsageEvent;

import java.time.Instant;
import java.util.Locale;

/**
 * How a batch answer's items are matched to the events sent: resource, dimension, hour and plan, ignoring case (the
 * service may echo a GUID in another case), never by position.
 */
record MatchKey(String resource, String dimension, Instant hour, String plan) {
    static MatchKey of(UsageEvent event) {
        return new MatchKey(lower(event.resourceId()), lower(event.dimension()), event.key().hour().start(),
                lower(event.planId().value()));
    }

    /** The key of an answer item, or null when it lacks one of the four fields. */
    static MatchKey of(JsonNode item) {
        String resource = MarketplaceJson.text(item, "resourceId");
        if (resource == null) {
            resource = MarketplaceJson.text(item, "resourceUri");
        }
        String dimension = MarketplaceJson.text(item, "dimension");
        Instant hour = MarketplaceJson.instant(MarketplaceJson.text(item, "effectiveStartTime"));
        String plan = MarketplaceJson.text(item, "planId");
        if (resource == null || dimension == null || hour == null || plan == null) {
            return null;
        }
        return new MatchKey(lower(resource), lower(dimension), hour, lower(plan));
    }

    private static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
