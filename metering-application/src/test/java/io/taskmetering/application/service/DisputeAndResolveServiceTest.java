package io.taskmetering.application.service;

import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.in.ChargeQueries.CreditsQuery;
import io.taskmetering.application.port.in.DisputeChargeCommand;
import io.taskmetering.application.port.in.NotFoundException;
import io.taskmetering.application.port.in.ResolveDisputeCommand;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.IllegalTransitionException;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.LedgerEntryType;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H14;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H15;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.H14;
import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DisputeAndResolveServiceTest {
    private final TestMetering app = new TestMetering();

    /** Records c1 (task-001) and c2 (task-002) in 14:00. */
    private void twoCharges() {
        app.record(aReport().withCorrelationId("c1").forTask("task-001"));
        app.record(aReport().withCorrelationId("c2").forTask("task-002"));
    }

    private void closeAndAccept() {
        app.at("2025-06-01T15:10:00Z").closeHours();
        app.submit();
    }

    @Nested
    class Dispute {
        @Test
        void aDisputeInAnOpenHourReleasesTheChargeFromIt() {
            twoCharges();

            Charge disputed = app.dispute("c1");

            assertThat(disputed.state()).isEqualTo(ChargeState.DISPUTED);
            assertThat(disputed.disputedFrom()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(disputed.counted()).isFalse();
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(1);
            LedgerEntry entry = app.store.history(CorrelationId.of("c1")).get(1);
            assertThat(entry.actor()).isEqualTo("customer@contoso");
            assertThat(entry.reason()).isEqualTo("the summary was wrong");
            assertThat(entry.toState()).isEqualTo(ChargeState.DISPUTED);
            app.at("2025-06-01T15:10:00Z");
            assertThat(app.closeHours().events()).singleElement()
                    .satisfies(event -> assertThat(event.quantity()).isEqualTo(1));
        }

        @Test
        void aDisputeInAClosedHourKeepsItsFixedQuantity() {
            twoCharges();
            app.at("2025-06-01T15:10:00Z").closeHours();

            Charge disputed = app.dispute("c1");

            assertThat(disputed.counted()).isTrue();
            assertThat(app.store.bucket(CONTOSO_H14)).isEqualTo(new HourBucket(CONTOSO_H14, 2, true));
            assertThat(app.store.outboxRow(CONTOSO_H14).event().quantity()).isEqualTo(2);
        }

        @Test
        void aBillableChargeCanBeDisputedAndStaysInItsInvoicedHour() {
            twoCharges();
            closeAndAccept();

            Charge disputed = app.dispute("c1");

            assertThat(disputed.disputedFrom()).isEqualTo(ChargeState.BILLABLE);
            assertThat(disputed.counted()).isTrue();
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
        }

        @Test
        void aReleasedChargeNoLongerUsesUpTheCapAndUpholdingItCountsItOnce() {
            app.withPolicy(p -> p.withCaps(GuardrailCaps.of(2, 0)));
            app.record(aReport().withCorrelationId("c1").forTask("t1"));
            app.dispute("c1");
            assertThat(app.store.capCounter(CapPeriod.hourOf(CONTOSO, H14))).isZero();

            app.record(aReport().withCorrelationId("c2").forTask("t2"));
            app.uphold("c1");
            assertThat(app.store.capCounter(CapPeriod.hourOf(CONTOSO, H14))).isEqualTo(2);
            assertThat(app.store.capCounter(CapPeriod.dayOf(CONTOSO, H14))).isEqualTo(2);

            assertThat(app.record(aReport().withCorrelationId("c3").forTask("t3")).recording())
                    .as("two charges count in the hour, so the cap of 2 holds the third")
                    .isInstanceOf(OutcomeRecord.HeldForReview.class);
            assertThat(app.store.anomalies().get(0).actualValue()).isEqualTo(3L);
        }

        @Test
        void aHeldChargeCannotBeDisputedAndNothingChanges() {
            app.record(aReport().withCorrelationId("c1").handedOffToHuman());
            StoreSnapshot before = StoreSnapshot.of(app.store);

            assertThatThrownBy(() -> app.dispute("c1")).isInstanceOfSatisfying(IllegalTransitionException.class,
                    e -> assertThat(e.currentState()).isEqualTo(ChargeState.PENDING_REVIEW));

            assertThat(StoreSnapshot.of(app.store)).isEqualTo(before);
        }

        @Test
        void disputingTwiceIsRefusedAndChangesNothing() {
            twoCharges();
            app.dispute("c1");
            StoreSnapshot before = StoreSnapshot.of(app.store);

            assertThatThrownBy(() -> app.dispute("c1")).isInstanceOfSatisfying(IllegalTransitionException.class,
                    e -> assertThat(e.currentState()).isEqualTo(ChargeState.DISPUTED));

            assertThat(StoreSnapshot.of(app.store)).isEqualTo(before);
        }

        @Test
        void anUnknownChargeIsNotFoundAndTheCommandNeedsAReason() {
            assertThatThrownBy(() -> app.dispute("nope")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> new DisputeChargeCommand(CorrelationId.of("c1"), "customer", " "))
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("reason"));
        }
    }

    @Nested
    class Uphold {
        @Test
        void upholdingAReleasedChargeWhileItsHourIsOpenCountsItThereAgain() {
            twoCharges();
            app.dispute("c1");

            Charge upheld = app.uphold("c1");

            assertThat(upheld.state()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(upheld.billingHour()).isEqualTo(H14);
            assertThat(upheld.late()).isFalse();
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
            assertThat(app.store.history(CorrelationId.of("c1"))).extracting(LedgerEntry::toState)
                    .containsExactly(ChargeState.QUALIFIED, ChargeState.DISPUTED, ChargeState.QUALIFIED);
        }

        @Test
        void upholdingAReleasedChargeAfterItsHourClosedCountsItLateInTheOldestOpenHour() {
            twoCharges();
            app.dispute("c1");
            app.at("2025-06-01T15:30:00Z").closeHours();

            Charge upheld = app.uphold("c1");

            assertThat(upheld.billingHour()).isEqualTo(H14.next());
            assertThat(upheld.late()).isTrue();
            assertThat(app.store.bucket(CONTOSO_H14)).isEqualTo(new HourBucket(CONTOSO_H14, 1, true));
            assertThat(app.store.bucket(CONTOSO_H15).quantity()).isEqualTo(1);
        }

        @Test
        void upholdingAChargeInAClosedHourNotYetInvoicedReturnsItToQualifiedAndItIsInvoicedWithItsHour() {
            twoCharges();
            app.at("2025-06-01T15:10:00Z").closeHours();
            app.dispute("c1");

            Charge upheld = app.uphold("c1");
            assertThat(upheld.state()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);

            app.submit();
            assertThat(app.store.charge("c1").state()).isEqualTo(ChargeState.BILLABLE);
        }

        @Test
        void upholdingAChargeWhoseHourWasAcceptedDuringTheDisputeMakesItBillable() {
            twoCharges();
            app.at("2025-06-01T15:10:00Z").closeHours();
            app.dispute("c1");
            app.submit();
            assertThat(app.store.charge("c1").state()).as("not invoiced while disputed").isEqualTo(ChargeState.DISPUTED);
            assertThat(app.store.charge("c2").state()).isEqualTo(ChargeState.BILLABLE);

            Charge upheld = app.uphold("c1");

            assertThat(upheld.state()).isEqualTo(ChargeState.BILLABLE);
        }

        @Test
        void upholdingADisputedBillableChargeReturnsItToBillable() {
            twoCharges();
            closeAndAccept();
            app.dispute("c1");

            assertThat(app.uphold("c1").state()).isEqualTo(ChargeState.BILLABLE);
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
        }

        @Test
        void upholdingAChargeThatIsNotDisputedIsRefusedAndChangesNothing() {
            twoCharges();
            StoreSnapshot before = StoreSnapshot.of(app.store);

            assertThatThrownBy(() -> app.uphold("c1")).isInstanceOfSatisfying(IllegalTransitionException.class,
                    e -> assertThat(e.currentState()).isEqualTo(ChargeState.QUALIFIED));

            assertThat(StoreSnapshot.of(app.store)).isEqualTo(before);
        }
    }

    @Nested
    class Reverse {
        @Test
        void reversingAnInvoicedChargeIsACreditOwed() {
            twoCharges();
            closeAndAccept();
            app.dispute("c1");

            Charge reversed = app.reverse("c1");

            assertThat(reversed.state()).isEqualTo(ChargeState.REVERSED);
            LedgerEntry credit = app.store.history(CorrelationId.of("c1")).get(3);
            assertThat(credit.type()).isEqualTo(LedgerEntryType.CREDIT);
            assertThat(credit.entryId()).isEqualTo("c1#3");
            assertThat(credit.linkedEntryId()).isEqualTo("c1#0");
            assertThat(credit.actor()).isEqualTo("billing@publisher");
            assertThat(app.listCredits().items()).containsExactly(credit);
            assertThat(app.store.outboxRow(CONTOSO_H14).status()).as("the Marketplace is never corrected")
                    .isEqualTo(UsageEventStatus.ACCEPTED);
        }

        @Test
        void reversingAReleasedChargeIsAPlainReversalAndNoCredit() {
            twoCharges();
            app.dispute("c1");

            Charge reversed = app.reverse("c1");

            assertThat(reversed.state()).isEqualTo(ChargeState.REVERSED);
            assertThat(app.store.history(CorrelationId.of("c1")).get(2).type()).isEqualTo(LedgerEntryType.REVERSAL);
            assertThat(app.listCredits().items()).isEmpty();
            assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(1);
        }

        @Test
        void aReversedChargeAcceptsNothingMore() {
            twoCharges();
            app.dispute("c1");
            app.reverse("c1");
            StoreSnapshot before = StoreSnapshot.of(app.store);

            assertThatThrownBy(() -> app.reverse("c1")).isInstanceOfSatisfying(IllegalTransitionException.class,
                    e -> assertThat(e.currentState()).isEqualTo(ChargeState.REVERSED));
            assertThatThrownBy(() -> app.uphold("c1")).isInstanceOf(IllegalTransitionException.class);
            assertThatThrownBy(() -> app.dispute("c1")).isInstanceOf(IllegalTransitionException.class);

            assertThat(StoreSnapshot.of(app.store)).isEqualTo(before);
        }

        @Test
        void creditsAreFilteredBySubscription() {
            twoCharges();
            closeAndAccept();
            app.dispute("c1");
            app.reverse("c1");

            assertThat(app.useCases().charges().listCredits(new CreditsQuery(Set.of(
                    io.taskmetering.domain.common.SubscriptionRef.of("sub-other")), 10, null)).items()).isEmpty();
            assertThat(app.useCases().charges().listCredits(new CreditsQuery(Set.of(CONTOSO), 10, null)).items())
                    .hasSize(1);
        }

        @Test
        void theResolutionParsesItsWireNames() {
            assertThat(ResolveDisputeCommand.Resolution.parse(" Uphold ")).isEqualTo(ResolveDisputeCommand.Resolution.UPHOLD);
            assertThat(ResolveDisputeCommand.Resolution.REVERSE.wireName()).isEqualTo("reverse");
            assertThatThrownBy(() -> ResolveDisputeCommand.Resolution.parse("refund"))
                    .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("decision"));
            assertThat(SubmissionStatus.DUPLICATE_ACCEPTED.eventStatus()).isEqualTo(UsageEventStatus.ACCEPTED);
        }
    }
}
