package io.taskmetering.application.service;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.application.port.in.ActivateContractCommand;
import io.taskmetering.application.port.in.ActivateContractResult;
import io.taskmetering.application.port.in.ContractQueries.VersionInSchedule;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.CreateContractVersionResult;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractActivation;
import io.taskmetering.domain.contract.ContractPeriod;
import io.taskmetering.domain.contract.ContractScope;
import io.taskmetering.domain.evaluation.ContractConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;

/** Contract versions as data: immutable versions, effective-dated activations, and the version each outcome gets. */
class ContractServicesTest {
    static final SubscriptionRef CONTOSO = SubscriptionRef.of("sub-contoso-001");
    static final SubscriptionRef FABRIKAM = SubscriptionRef.of("sub-fabrikam-002");
    static final BillingHour H14 = BillingHour.parse("2025-06-01T14:00:00Z");
    static final Instant SWITCH = Instant.parse("2025-06-01T14:40:00Z");
    static final String BOOTSTRAP = ContractConfig.defaults().version();
    /** Demands an output {@code summary} the default evidence does not have. */
    static final ContractConfig STRICT = ContractConfig.defaults().withVersion("strict-v2")
            .withRequiredOutputKeys(List.of("summary"));
    /** Passes what the default passes, under another id. */
    static final ContractConfig LENIENT = ContractConfig.defaults().withVersion("lenient-v3")
            .withHoldAmbiguousForReview(false);

    private final TestMetering app = new TestMetering();

    private CreateContractVersionResult create(ContractConfig settings) {
        return app.useCases().createContractVersion().create(new CreateContractVersionCommand(settings));
    }

    private ActivateContractResult activate(String version, Instant from, SubscriptionRef subscription) {
        return app.useCases().activateContract().activate(new ActivateContractCommand(version, from, subscription));
    }

    private OutcomeResult.Decided record(String correlationId, SubscriptionRef subscription, Instant occurredAt) {
        return app.record(aReport().withCorrelationId(correlationId).forTask("task-" + correlationId)
                .forSubscription(subscription.value()).occurredAt(occurredAt));
    }

    @Nested
    class Versions {
        @Test
        void aVersionIsCreatedOnceAndTheSameSettingsAgainChangeNothing() {
            assertThat(create(STRICT)).isEqualTo(new CreateContractVersionResult.Created(
                    new ContractVersion(STRICT, TestMetering.START)));
            app.clock.advance(Duration.ofMinutes(1));

            assertThat(create(STRICT)).isEqualTo(new CreateContractVersionResult.AlreadyExists(
                    new ContractVersion(STRICT, TestMetering.START)));
        }

        @Test
        void otherSettingsUnderAnExistingIdAreAConflictAndTheStoredOnesStay() {
            create(STRICT);

            assertThat(create(STRICT.withRequireApproval(true))).isEqualTo(
                    new CreateContractVersionResult.SettingsConflict(new ContractVersion(STRICT, TestMetering.START)));
            assertThat(app.useCases().contracts().version("strict-v2")).map(v -> v.version().settings()).contains(STRICT);
        }

        @Test
        void versionsSayWhereAndWhenTheyApply() {
            create(ContractConfig.defaults());
            create(STRICT);
            create(LENIENT);
            activate("strict-v2", SWITCH, null);
            activate("lenient-v3", SWITCH.plusSeconds(60), CONTOSO);

            List<VersionInSchedule> versions = app.useCases().contracts().versions();

            assertThat(versions).extracting(v -> v.version().version()).containsExactly(BOOTSTRAP, "lenient-v3", "strict-v2");
            assertThat(versions.get(0).bootstrapDefault()).isTrue();
            assertThat(versions.get(0).periods()).containsExactly(
                    new ContractPeriod(ContractScope.global(), BOOTSTRAP, null, SWITCH));
            assertThat(versions.get(1).periods()).containsExactly(
                    new ContractPeriod(ContractScope.of(CONTOSO), "lenient-v3", SWITCH.plusSeconds(60), null));
            assertThat(versions.get(2).bootstrapDefault()).isFalse();
            assertThat(versions.get(2).periods()).containsExactly(
                    new ContractPeriod(ContractScope.global(), "strict-v2", SWITCH, null));
        }
    }

    @Nested
    class EffectiveDating {
        @Test
        void outcomesJustBeforeTheSwitchAreDecidedByTheOldVersionAndFromItOnByTheNew() {
            create(STRICT);
            activate("strict-v2", SWITCH, null);
            app.at("2025-06-01T14:50:00Z");

            OutcomeResult.Decided before = record("c-before", CONTOSO, SWITCH.minusNanos(1_000));
            OutcomeResult.Decided at = record("c-at", CONTOSO, SWITCH);
            OutcomeResult.Decided after = record("c-after", CONTOSO, SWITCH.plusNanos(1_000));

            assertThat(before.decision().contractVersion()).isEqualTo(BOOTSTRAP);
            assertThat(before.decision().billable()).isTrue();
            assertThat(at.decision().contractVersion()).isEqualTo("strict-v2");
            assertThat(at.decision().reasonCodes()).contains("required_outputs:missing=summary");
            assertThat(at.decision().billable()).isFalse();
            assertThat(after.decision().contractVersion()).isEqualTo("strict-v2");
        }

        @Test
        void itIsTheTimeAnOutcomeOccurredThatCountsNotWhenItArrives() {
            app.at("2025-06-01T14:30:00Z");
            create(STRICT);
            activate("strict-v2", SWITCH, null);
            app.at("2025-06-01T14:45:00Z");

            // Arrives after the switch, occurred before it.
            assertThat(record("c-late", CONTOSO, SWITCH.minusSeconds(300)).decision().contractVersion()).isEqualTo(BOOTSTRAP);
        }

        @Test
        void aSubscriptionsOwnScheduleWinsOverTheGlobalOne() {
            create(STRICT);
            create(LENIENT);
            activate("lenient-v3", SWITCH.minusSeconds(300), CONTOSO);
            activate("strict-v2", SWITCH, null);
            app.at("2025-06-01T14:50:00Z");

            OutcomeResult.Decided contoso = record("c-contoso", CONTOSO, SWITCH.plusSeconds(60));
            OutcomeResult.Decided fabrikam = record("c-fabrikam", FABRIKAM, SWITCH.plusSeconds(60));

            assertThat(contoso.decision().contractVersion()).isEqualTo("lenient-v3");
            assertThat(contoso.decision().billable()).isTrue();
            assertThat(fabrikam.decision().contractVersion()).isEqualTo("strict-v2");
            assertThat(fabrikam.decision().billable()).isFalse();
        }

        @Test
        void anActivationOnAnotherInstanceDecidesTheNextBatchHere() {
            MeteringUseCases other = app.wire("instance-2");
            app.useCases(); // this instance has recorded before the activation
            other.createContractVersion().create(new CreateContractVersionCommand(STRICT));
            other.activateContract().activate(new ActivateContractCommand("strict-v2", SWITCH, null));
            app.at("2025-06-01T14:50:00Z");

            assertThat(record("c-here", CONTOSO, SWITCH.plusSeconds(1)).decision().contractVersion()).isEqualTo("strict-v2");
            other.close();
        }

        @Test
        void theEvidenceBundleShowsTheSettingsOfTheVersionThatDecided() {
            create(ContractConfig.defaults());
            create(STRICT);
            activate("strict-v2", SWITCH, null);
            app.at("2025-06-01T14:50:00Z");
            record("c-old", CONTOSO, SWITCH.minusSeconds(1));
            record("c-new", CONTOSO, SWITCH);

            assertThat(app.useCases().charges().evidenceBundle(CorrelationId.of("c-old")).orElseThrow().contract())
                    .isEqualTo(ContractConfig.defaults());
            assertThat(app.useCases().charges().evidenceBundle(CorrelationId.of("c-new")).orElseThrow().contract())
                    .isEqualTo(STRICT);
        }
    }

    @Nested
    class MidHour {
        @Test
        void anHoursQuantityCountsTheChargesEveryVersionQualified() {
            ContractConfig approvals = ContractConfig.defaults().withVersion("approval-v4").withRequireApproval(true);
            create(approvals);
            activate("approval-v4", SWITCH, null);
            app.at("2025-06-01T14:55:00Z");

            record("c1", CONTOSO, SWITCH.minusSeconds(600)); // default: billable
            record("c2", CONTOSO, SWITCH.minusSeconds(1)); // default: billable
            OutcomeResult.Decided approved = app.record(aReport().withCorrelationId("c3").forTask("task-c3")
                    .forSubscription(CONTOSO.value()).occurredAt(SWITCH.plusSeconds(60))
                    .withEvidence(anEvidence().withOutput("approved", true)));
            OutcomeResult.Decided unapproved = record("c4", CONTOSO, SWITCH.plusSeconds(120));

            assertThat(approved.decision().contractVersion()).isEqualTo("approval-v4");
            assertThat(approved.decision().billable()).isTrue();
            assertThat(unapproved.decision().contractVersion()).isEqualTo("approval-v4");
            assertThat(unapproved.decision().reasonCodes()).contains("approval:failed");
            BucketKey hour = new BucketKey(CONTOSO, Dimension.TASK_COMPLETED, H14);
            assertThat(app.store.bucket(hour).quantity()).isEqualTo(3);

            app.at("2025-06-01T15:10:00Z").closeHours();

            assertThat(app.store.outbox().get(hour).event().quantity()).isEqualTo(3);
        }
    }

    @Nested
    class Activation {
        @Test
        void anActivationIntoAClosedHourIsRefusedAndTheEndOfThatHourIsAccepted() {
            create(STRICT);
            record("c1", CONTOSO, Instant.parse("2025-06-01T14:30:00Z"));
            app.at("2025-06-01T15:10:00Z").closeHours();

            assertThat(activate("strict-v2", H14.end().minusNanos(1_000), null))
                    .isEqualTo(new ActivateContractResult.IntoClosedHour(H14, H14.end()));
            assertThat(activate("strict-v2", H14.end().minusNanos(1_000), CONTOSO))
                    .isEqualTo(new ActivateContractResult.IntoClosedHour(H14, H14.end()));
            assertThat(activate("strict-v2", H14.end(), null)).isInstanceOf(ActivateContractResult.Activated.class);
            // Another subscription has no closed hour: its schedule may start earlier.
            assertThat(activate("strict-v2", H14.start(), FABRIKAM)).isInstanceOf(ActivateContractResult.Activated.class);
        }

        @Test
        void theSameActivationAgainIsANoOpAndAnotherVersionAtTheSamePlaceIsRefused() {
            create(STRICT);
            create(LENIENT);
            StoredActivation stored = ((ActivateContractResult.Activated) activate("strict-v2", SWITCH, null)).activation();
            app.clock.advance(Duration.ofMinutes(1));

            assertThat(activate("strict-v2", SWITCH, null)).isEqualTo(new ActivateContractResult.AlreadyActivated(stored));
            assertThat(activate("lenient-v3", SWITCH, null)).isEqualTo(new ActivateContractResult.PlaceTaken(stored));
            assertThat(stored).isEqualTo(new StoredActivation(
                    new ContractActivation(ContractScope.global(), SWITCH, "strict-v2"), TestMetering.START));
        }

        @Test
        void theSameActivationAgainIsANoOpEvenOnceItsHourClosed() {
            create(STRICT);
            activate("strict-v2", SWITCH, CONTOSO);
            app.at("2025-06-01T14:50:00Z");
            record("c1", CONTOSO, SWITCH.minusSeconds(60));
            app.at("2025-06-01T15:10:00Z").closeHours();

            assertThat(activate("strict-v2", SWITCH, CONTOSO)).isInstanceOf(ActivateContractResult.AlreadyActivated.class);
        }

        @Test
        void anUnknownVersionCannotBeActivated() {
            assertThat(activate("never-created", SWITCH, null))
                    .isEqualTo(new ActivateContractResult.UnknownVersion("never-created"));
            assertThat(app.store.findActivations()).isEmpty();
        }
    }
}
