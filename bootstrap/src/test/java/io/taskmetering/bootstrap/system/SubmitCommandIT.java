package io.taskmetering.bootstrap.system;

import io.taskmetering.adapter.marketplace.FakeMarketplace;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.taskmetering.bootstrap.system.SystemTests.CLOSING_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.OPEN_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.env;
import static io.taskmetering.bootstrap.system.SystemTests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code submit} from cron, black-box: the jar closes and submits once and says by its exit code whether every hour it
 * sent is settled (0) or one needs a person (3).
 */
class SubmitCommandIT {

    @Test
    void exitsZeroWhenTheHourIsAcceptedAndThreeWhenTheMarketplaceHoldsAnotherQuantity() {
        try (FakeMarketplace marketplace = new FakeMarketplace()) {
            Instant hour = SystemTests.previousHour();
            String subscription = SystemTests.subscription();

            SystemTests.Database first = SystemTests.h2File("submit-first");
            ingest(first, marketplace, subscription, hour, 3);
            ServiceProcess.Finished accepted = ServiceProcess.run("submit-first",
                    env(first, marketplace, CLOSING_GRACE, "submit-first"), Duration.ofSeconds(60), "submit");
            assertThat(accepted.exitCode()).as(accepted.stderr()).isZero();
            assertThat(accepted.stdout()).contains("submitted 1 usage event(s)").contains("ACCEPTED");

            // Another database that counted 5 for the same subscription and hour: the Marketplace keeps the first
            // quantity and answers Duplicate with 3, a discrepancy a person has to look at.
            SystemTests.Database second = SystemTests.h2File("submit-second");
            ingest(second, marketplace, subscription, hour, 5);
            ServiceProcess.Finished refused = ServiceProcess.run("submit-second",
                    env(second, marketplace, CLOSING_GRACE, "submit-second"), Duration.ofSeconds(60), "submit");
            assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(3);
            assertThat(refused.stdout()).contains("DISCREPANCY");
        }
    }

    /** Records {@code count} billable outcomes of {@code hour} through a service that keeps the hour open. */
    private static void ingest(SystemTests.Database db, FakeMarketplace marketplace, String subscription, Instant hour,
                               int count) {
        try (ServiceProcess service = ServiceProcess.serve("submit-ingest", env(db, marketplace, OPEN_GRACE, "ingest"))
                .awaitReady()) {
            List<Map<String, Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                outcomes.add(outcome(subscription, "task-" + i, subscription + "-" + i,
                        hour.plusSeconds(60 + i), true));
            }
            Api.agent(service).post("/v1/outcomes/batch", SystemTests.batch(outcomes)).expect(200);
            service.stop();
        }
    }
}
