package io.taskmetering.bootstrap.system;

import io.taskmetering.adapter.marketplace.FakeMarketplace;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.taskmetering.bootstrap.system.SystemTests.CLOSING_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.DIMENSION;
import static io.taskmetering.bootstrap.system.SystemTests.OPEN_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.env;
import static io.taskmetering.bootstrap.system.SystemTests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reconcile --day D} from cron, black-box against the fake Marketplace on real HTTP: 0 while the Marketplace
 * reports what was accepted, 3 once it reports a different quantity for one hour and omits another.
 */
class ReconcileCommandIT {

    @Test
    void exitsZeroWhenEveryHourMatchesAndThreeWhenTheMarketplaceDiffers() {
        try (FakeMarketplace marketplace = new FakeMarketplace()) {
            Instant hour = SystemTests.previousHour();
            String day = LocalDate.ofInstant(hour, ZoneOffset.UTC).toString();
            String changed = SystemTests.subscription();
            String omitted = SystemTests.subscription();
            SystemTests.Database db = SystemTests.h2File("reconcile");
            ingest(db, marketplace, Map.of(changed, 2, omitted, 1), hour);
            ServiceProcess.Finished submitted = ServiceProcess.run("reconcile-submit",
                    env(db, marketplace, CLOSING_GRACE, "reconcile-submit"), Duration.ofSeconds(60), "submit");
            assertThat(submitted.exitCode()).as(submitted.stderr()).isZero();

            ServiceProcess.Finished matching = ServiceProcess.run("reconcile-matching",
                    env(db, marketplace, CLOSING_GRACE, "reconcile-matching"), Duration.ofSeconds(60),
                    "reconcile", "--day", day);
            assertThat(matching.exitCode()).as(matching.stderr()).isZero();
            assertThat(matching.stdout()).contains("2 hour(s) compared, 2 matching, 0 mismatched");

            String changedKey = FakeMarketplace.key(changed, DIMENSION, hour.toString());
            FakeMarketplace.Held held = marketplace.ledger.get(changedKey);
            marketplace.ledger.put(changedKey, new FakeMarketplace.Held(held.usageEventId(), new BigDecimal("7"),
                    held.planId(), held.messageTime()));
            marketplace.ledger.remove(FakeMarketplace.key(omitted, DIMENSION, hour.toString()));

            ServiceProcess.Finished differing = ServiceProcess.run("reconcile-differing",
                    env(db, marketplace, CLOSING_GRACE, "reconcile-differing"), Duration.ofSeconds(60),
                    "reconcile", "--day", day);
            assertThat(differing.exitCode()).as(differing.stderr()).isEqualTo(3);
            assertThat(differing.stdout()).contains("2 hour(s) compared, 0 matching, 1 mismatched, 1 missing at the "
                            + "Marketplace, 0 missing here")
                    .contains("mismatched " + changed + " " + DIMENSION + " " + hour + " ours=2 theirs=7")
                    .contains("missing_at_marketplace " + omitted + " " + DIMENSION + " " + hour + " ours=1 theirs=0");
            assertThat(marketplace.problems()).isEmpty();
        }
    }

    /** Records each subscription's count of billable outcomes in {@code hour} through a service that keeps it open. */
    private static void ingest(SystemTests.Database db, FakeMarketplace marketplace, Map<String, Integer> counts,
                               Instant hour) {
        try (ServiceProcess service = ServiceProcess.serve("reconcile-ingest", env(db, marketplace, OPEN_GRACE, "ingest"))
                .awaitReady()) {
            List<Map<String, Object>> outcomes = new ArrayList<>();
            counts.forEach((subscription, count) -> {
                for (int i = 0; i < count; i++) {
                    outcomes.add(outcome(subscription, "task-" + i, subscription + "-" + i, hour.plusSeconds(60 + i),
                            true));
                }
            });
            Api.agent(service).post("/v1/outcomes/batch", SystemTests.batch(outcomes)).expect(200);
            service.stop();
        }
    }
}
