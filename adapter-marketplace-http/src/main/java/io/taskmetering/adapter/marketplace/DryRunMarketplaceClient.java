package io.taskmetering.adapter.marketplace;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.domain.billing.UsageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Dry-run: calls nothing and answers {@link SubmissionStatus#DRY_RUN} for every event, with
 * {@link SubmissionResult#requestBody()} exactly the JSON the live client would send for it (the same
 * {@link MarketplacePayloads} serialization, byte for byte). No attempts are reported, because none were made.
 */
public final class DryRunMarketplaceClient implements MarketplaceSubmissionPort {
    private static final Logger log = LoggerFactory.getLogger(DryRunMarketplaceClient.class);

    @Override
    public List<SubmissionResult> submit(List<UsageEvent> events) {
        Objects.requireNonNull(events, "events");
        List<SubmissionResult> results = new ArrayList<>(events.size());
        for (UsageEvent event : events) {
            String json = MarketplacePayloads.eventJson(event);
            String correlationId = MarketplacePayloads.correlationId(event.key());
            log.atInfo().setMessage("dry-run: would POST /usageEvent correlationId={} body={}")
                    .addArgument(correlationId).addArgument(json)
                    .addKeyValue("event", "marketplace_dry_run").addKeyValue("hourKey", event.key().toString())
                    .addKeyValue("correlationId", correlationId).log();
            results.add(new SubmissionResult(event.key(), SubmissionStatus.DRY_RUN, json, null, null, null, null, null,
                    List.of()));
        }
        return results;
    }

    @Override
    public String toString() {
        return "DryRunMarketplaceClient";
    }
}
