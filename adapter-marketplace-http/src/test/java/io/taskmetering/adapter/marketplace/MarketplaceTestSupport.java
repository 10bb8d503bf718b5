package io.taskmetering.adapter.marketplace;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.testdata.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A fake Marketplace on a real local HTTP server, a hand-moved clock and a sleeper that only moves that clock. */
abstract class MarketplaceTestSupport {
    MutableClock clock;
    RecordingSleeper sleeper;
    FakeMarketplace fake;

    @BeforeEach
    void startFake() throws IOException {
        clock = new MutableClock(TestEvents.NOW);
        sleeper = new RecordingSleeper(clock);
        fake = new FakeMarketplace(clock);
    }

    @AfterEach
    void stopFake() throws IOException {
        fake.close();
    }

    MarketplaceHttpClient client(MarketplaceConfig.Builder config) {
        return MarketplaceHttpClient.builder(config.build()).clock(clock).sleeper(sleeper)
                .requestIds(UUID::randomUUID).build();
    }

    MarketplaceHttpClient client() {
        return client(fake.config());
    }

    static Map<BucketKey, SubmissionResult> byKey(List<SubmissionResult> results) {
        return results.stream().collect(Collectors.toMap(SubmissionResult::key, Function.identity()));
    }

    static BucketKey key(UsageEvent event) {
        return event.key();
    }
}
