package io.taskmetering.adapter.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.taskmetering.adapter.marketplace.TestEvents.HOUR;
import static io.taskmetering.adapter.marketplace.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class MarketplaceBatchTest extends MarketplaceTestSupport {
    private final ObjectMapper json = new ObjectMapper();

    private static String item(UsageEvent e, String time, String status, String extra) {
        return "{\"resourceId\":\"" + e.resourceId() + "\",\"quantity\":" + e.quantity() + ".0,\"dimension\":\""
                + e.dimension() + "\",\"effectiveStartTime\":\"" + time + "\",\"planId\":\"" + e.planId().value()
                + "\",\"status\":\"" + status + "\"" + extra + "}";
    }

    private static String duplicateError(String usageEventId, String quantity, UsageEvent e) {
        return ",\"error\":{\"additionalInfo\":{\"acceptedMessage\":{\"usageEventId\":\"" + usageEventId
                + "\",\"status\":\"Duplicate\",\"messageTime\":\"2025-06-01T14:20:00.1234567Z\",\"resourceId\":\""
                + e.resourceId() + "\",\"quantity\":" + quantity + ",\"dimension\":\"" + e.dimension()
                + "\",\"effectiveStartTime\":\"" + e.effectiveStartTime() + "\",\"planId\":\"" + e.planId().value()
                + "\"}},\"message\":\"This usage event already exist.\",\"code\":\"Conflict\"}";
    }

    private static String error(String code, String message) {
        return ",\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    @Test
    void everyPerItemStatusEndsInItsStateMatchedByKeyNotPosition() throws Exception {
        UsageEvent accepted = event("sub-accepted", 1);
        UsageEvent duplicateSame = event("sub-dup-same", 2);
        UsageEvent duplicateOther = event("sub-dup-other", 3);
        UsageEvent expired = event("sub-expired", 4);
        UsageEvent notFound = event("sub-not-found", 5);
        UsageEvent badDimension = event("sub-bad-dimension", 6);
        UsageEvent unknown = event("sub-unknown-status", 7);
        UsageEvent transientError = event("sub-error", 8);
        UsageEvent notActive = event("sub-not-active", 9);
        UsageEvent notAuthorized = event("sub-not-authorized", 10);
        UsageEvent badQuantity = event("sub-bad-quantity", 11);
        UsageEvent badArgument = event("sub-bad-argument", 12);
        List<UsageEvent> events = List.of(accepted, duplicateSame, duplicateOther, expired, notFound, badDimension,
                unknown, transientError, notActive, notAuthorized, badQuantity, badArgument);
        String z = "2025-06-01T14:00:00Z";
        String noOffset = "2025-06-01T14:00:00";
        String fraction = "2025-06-01T14:00:00.0000000Z";
        // deliberately in another order than sent, with the three time forms the service uses
        List<String> items = List.of(
                item(unknown, z, "Throttled", error("Weird", "what is this")),
                item(badArgument, noOffset, "BadArgument", error("BadArgument", "planId unknown")),
                item(transientError, fraction, "Error", error("InternalError", "try again")),
                item(duplicateOther, z, "Duplicate", duplicateError("orig-other", "5", duplicateOther)),
                item(notAuthorized, z, "ResourceNotAuthorized", error("ResourceNotAuthorized", "not yours")),
                item(accepted, noOffset, "Accepted", ",\"usageEventId\":\"new-1\",\"messageTime\":\"2025-06-01T15:05:01.5Z\""),
                item(badQuantity, z, "InvalidQuantity", error("InvalidQuantity", "too much")),
                item(expired, fraction, "Expired", error("BadArgument", "The effective time provided is has expired or is in future.")),
                item(notFound, z, "ResourceNotFound", error("ResourceNotFound", "gone")),
                item(duplicateSame, z, "Duplicate", duplicateError("orig-same", "2.000", duplicateSame)),
                item(notActive, z, "ResourceNotActive", error("ResourceNotActive", "suspended")),
                item(badDimension, noOffset, "InvalidDimension", error("InvalidDimension", "no such dimension")));
        fake.script(FakeMarketplace.json(200, "{\"count\":12,\"result\":[" + String.join(",", items) + "]}"));
        fake.script(FakeMarketplace.json(200, "{\"count\":1,\"result\":[" + item(transientError, z, "Accepted",
                ",\"usageEventId\":\"new-8\",\"messageTime\":\"2025-06-01T15:05:03Z\"") + "]}"));

        Map<BucketKey, SubmissionResult> results;
        try (MarketplaceHttpClient client = client()) {
            results = byKey(client.submit(events));
        }

        assertThat(results).hasSize(12);
        assertThat(results.get(accepted.key()).status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(results.get(accepted.key()).usageEventId()).isEqualTo("new-1");
        assertThat(results.get(accepted.key()).messageTime()).isEqualTo("2025-06-01T15:05:01.500Z");

        SubmissionResult same = results.get(duplicateSame.key());
        assertThat(same.status()).isEqualTo(SubmissionStatus.DUPLICATE_ACCEPTED);
        assertThat(same.usageEventId()).as("the original id is kept").isEqualTo("orig-same");
        assertThat(same.marketplaceQuantity()).isEqualTo(2L);

        SubmissionResult other = results.get(duplicateOther.key());
        assertThat(other.status()).isEqualTo(SubmissionStatus.DISCREPANCY);
        assertThat(other.marketplaceQuantity()).isEqualTo(5L);
        assertThat(other.errorCode()).isEqualTo("Duplicate");

        assertThat(results.get(expired.key()).status()).isEqualTo(SubmissionStatus.EXPIRED);
        assertThat(results.get(expired.key()).errorCode()).isEqualTo("Expired");
        for (UsageEvent rejected : List.of(notFound, badDimension, notActive, notAuthorized, badQuantity, badArgument)) {
            assertThat(results.get(rejected.key()).status()).as(rejected.resourceId()).isEqualTo(SubmissionStatus.REJECTED);
        }
        assertThat(results.get(notFound.key()).errorCode()).isEqualTo("ResourceNotFound");
        assertThat(results.get(badDimension.key()).errorCode()).isEqualTo("InvalidDimension");
        assertThat(results.get(unknown.key()).status()).isEqualTo(SubmissionStatus.REJECTED);
        assertThat(results.get(unknown.key()).errorMessage()).contains("Throttled");

        SubmissionResult retried = results.get(transientError.key());
        assertThat(retried.status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(retried.usageEventId()).isEqualTo("new-8");
        assertThat(retried.attempts()).extracting(SubmissionAttempt::outcome).containsExactly("item_error", "accepted");
        for (UsageEvent e : events) {
            assertThat(results.get(e.key()).requestBody()).isEqualTo(MarketplacePayloads.eventJson(e));
        }
        assertThat(sleeper.waits).hasSize(1);

        List<FakeMarketplace.Call> calls = fake.meteringCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path()).isEqualTo("/api/batchUsageEvent");
        String expectedFirst = "{\"request\":[" + events.stream().map(MarketplacePayloads::eventJson)
                .collect(Collectors.joining(",")) + "]}";
        assertThat(calls.get(0).bodyText()).isEqualTo(expectedFirst);
        assertThat(calls.get(1).bodyText()).as("only the Error item again, byte for byte")
                .isEqualTo("{\"request\":[" + MarketplacePayloads.eventJson(transientError) + "]}");
        assertThat(calls.get(0).requestId()).isNotEqualTo(calls.get(1).requestId());
        assertThat(calls).extracting(FakeMarketplace.Call::apiVersion).containsOnly("2018-08-31");
        // the first attempt of every event carries the ids actually sent with the batch
        assertThat(events.stream().map(e -> results.get(e.key()).attempts().get(0).requestId()).distinct())
                .containsExactly(calls.get(0).requestId());
    }

    @Test
    void moreThan25DueEventsAreSplitIntoBatchesOfAtMost25() throws Exception {
        List<UsageEvent> events = TestEvents.events(60);
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client()) {
            results = client.submit(events);
        }
        assertThat(results).hasSize(60).allMatch(r -> r.status() == SubmissionStatus.ACCEPTED);
        List<Integer> sizes = new ArrayList<>();
        for (FakeMarketplace.Call call : fake.meteringCalls()) {
            JsonNode body = json.readTree(call.body());
            sizes.add(body.get("request").size());
            assertThat(call.path()).isEqualTo("/api/batchUsageEvent");
        }
        assertThat(sizes).containsExactly(25, 25, 10);
        assertThat(fake.ledger).hasSize(60);
        Set<String> correlationIds = fake.meteringCalls().stream().map(FakeMarketplace.Call::correlationId)
                .collect(Collectors.toSet());
        assertThat(correlationIds).hasSize(3);
    }

    @Test
    void configuredBatchSizeIsHonoured() throws Exception {
        try (MarketplaceHttpClient client = client(fake.config().batchSize(10))) {
            client.submit(TestEvents.events(23));
        }
        assertThat(fake.meteringCalls()).extracting(c -> json.readTree(c.body()).get("request").size())
                .containsExactly(10, 10, 3);
    }

    @Test
    void eventsWhoseAnswersCouldNotBeToldApartGoInSeparateBatches() {
        UsageEvent lower = event("sub-a", "Task_Completed", HOUR, 1, "gold");
        UsageEvent upper = event("sub-a", "task_completed", HOUR, 2, "gold");
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client()) {
            results = client.submit(List.of(lower, upper));
        }
        assertThat(fake.meteringCalls()).hasSize(2);
        assertThat(results).extracting(SubmissionResult::status).containsOnly(SubmissionStatus.ACCEPTED);
    }

    @Test
    void aBatchRefusedAsAWholeIsSentOneByOne() {
        List<UsageEvent> events = TestEvents.events(3);
        fake.script(FakeMarketplace.json(400, "{\"message\":\"One or more errors have occurred.\",\"code\":\"BadArgument\"}"));
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client()) {
            results = client.submit(events);
        }
        assertThat(results).extracting(SubmissionResult::status).containsOnly(SubmissionStatus.ACCEPTED);
        assertThat(fake.meteringCalls()).extracting(FakeMarketplace.Call::path)
                .containsExactly("/api/batchUsageEvent", "/api/usageEvent", "/api/usageEvent", "/api/usageEvent");
        assertThat(results.get(0).attempts()).extracting(SubmissionAttempt::outcome)
                .containsExactly("http_400", "accepted");
    }

    @Test
    void aMissingItemIsRetriedThenLeftPending() {
        UsageEvent answered = event("sub-answered", 1);
        UsageEvent forgotten = event("sub-forgotten", 2);
        String onlyOne = "{\"count\":1,\"result\":[" + item(answered, "2025-06-01T14:00:00Z", "Accepted",
                ",\"usageEventId\":\"x\"") + "]}";
        fake.script(FakeMarketplace.json(200, onlyOne));
        fake.script(FakeMarketplace.json(200, "{\"count\":0,\"result\":[]}"));
        fake.script(FakeMarketplace.json(200, "{\"count\":0,\"result\":[]}"));
        Map<BucketKey, SubmissionResult> results;
        try (MarketplaceHttpClient client = client()) {
            results = byKey(client.submit(List.of(answered, forgotten)));
        }
        assertThat(results.get(answered.key()).status()).isEqualTo(SubmissionStatus.ACCEPTED);
        SubmissionResult pending = results.get(forgotten.key());
        assertThat(pending.status()).isEqualTo(SubmissionStatus.RETRY_LATER);
        assertThat(pending.errorCode()).isEqualTo("item_retries_exhausted");
        assertThat(pending.attempts()).hasSize(3).allMatch(a -> a.outcome().equals("missing_item"));
    }
}
