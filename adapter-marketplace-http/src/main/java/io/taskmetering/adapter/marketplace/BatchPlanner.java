package io.taskmetering.adapter.marketplace;

import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits one submission into requests: one event per {@code /usageEvent} request, or batches of up to
 * {@code batchSize} for {@code /batchUsageEvent}. A batch never holds two events whose answers could not be told
 * apart ({@link MatchKey}); such an event goes into the first batch that has room and no event of its key.
 */
final class BatchPlanner {
    private BatchPlanner() {
    }

    /** The requests to send, each event in exactly one; events keep their order within a request. */
    static List<List<UsageEvent>> requests(List<UsageEvent> events, Endpoint endpoint, int batchSize) {
        Set<BucketKey> hourKeys = new HashSet<>();
        for (UsageEvent event : events) {
            if (!hourKeys.add(event.key())) {
                throw new IllegalArgumentException("hour key " + event.key() + " appears twice in one submission");
            }
        }
        List<List<UsageEvent>> requests = new ArrayList<>();
        if (endpoint == Endpoint.SINGLE) {
            events.forEach(event -> requests.add(List.of(event)));
            return requests;
        }
        List<Set<MatchKey>> keysPerRequest = new ArrayList<>();
        for (UsageEvent event : events) {
            MatchKey key = MatchKey.of(event);
            int target = -1;
            for (int i = 0; i < requests.size() && target < 0; i++) {
                if (requests.get(i).size() < batchSize && !keysPerRequest.get(i).contains(key)) {
                    target = i;
                }
            }
            if (target < 0) {
                requests.add(new ArrayList<>());
                keysPerRequest.add(new HashSet<>());
                target = requests.size() - 1;
            }
            requests.get(target).add(event);
            keysPerRequest.get(target).add(key);
        }
        return requests;
    }
}
