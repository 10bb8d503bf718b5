package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The exact bytes and ids the Metering API receives. Everything here is a pure function of the usage events, so every
 * retry of an hour key sends byte-identical JSON and the same {@code x-ms-correlationid}, on any instance, after any
 * restart.
 */
public final class MarketplacePayloads {
    private static final String CORRELATION_NAMESPACE = "io.taskmetering/marketplace-usage-event/v1";

    private MarketplacePayloads() {
    }

    /**
     * One event as sent to {@code /usageEvent} and inside a batch:
     * {@code {"resourceId":…,"quantity":…,"dimension":…,"effectiveStartTime":…,"planId":…}}, keys in the documented
     * order, no whitespace, the quantity a whole number (exact, never floating point), the hour as ISO-8601 with
     * {@code Z}.
     */
    public static String eventJson(UsageEvent event) {
        ObjectNode json = MarketplaceJson.MAPPER.createObjectNode()
                .put("resourceId", event.resourceId())
                .put("quantity", event.quantity())
                .put("dimension", event.dimension())
                .put("effectiveStartTime", event.effectiveStartTime())
                .put("planId", event.planId().value());
        try {
            return MarketplaceJson.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and a number always serialises", e);
        }
    }

    /** A {@code /batchUsageEvent} body: {@code {"request":[event,…]}} with each event exactly as {@link #eventJson}. */
    public static String batchJson(List<String> eventJsons) {
        if (eventJsons.isEmpty() || eventJsons.size() > MarketplaceConfig.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("a batch holds 1 to " + MarketplaceConfig.MAX_BATCH_SIZE + " events, was "
                    + eventJsons.size());
        }
        return "{\"request\":[" + String.join(",", eventJsons) + "]}";
    }

    public static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The stable {@code x-ms-correlationid} of an hour key: a name-based (type 3) UUID of subscription, dimension and
     * hour, the same on every attempt, instance and run.
     */
    public static String correlationId(BucketKey key) {
        return nameUuid("key\n" + key.subscription().value() + "\n" + key.dimension().value() + "\n" + key.hour());
    }

    /**
     * The {@code x-ms-correlationid} of a batch request (one header for up to 25 hour keys): a name-based UUID of its
     * hour keys in order, so resending the same batch sends the same id.
     */
    public static String batchCorrelationId(List<BucketKey> keys) {
        StringBuilder name = new StringBuilder("batch");
        for (BucketKey key : keys) {
            name.append('\n').append(key.subscription().value()).append('\t').append(key.dimension().value())
                    .append('\t').append(key.hour());
        }
        return nameUuid(name.toString());
    }

    private static String nameUuid(String name) {
        return UUID.nameUUIDFromBytes((CORRELATION_NAMESPACE + "\n" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
