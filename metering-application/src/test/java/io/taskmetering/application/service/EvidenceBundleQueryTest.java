package io.taskmetering.application.service;

import io.taskmetering.application.model.EvidenceCanonicalization;
import io.taskmetering.application.model.NewDecision;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.EvidenceDigest;
import io.taskmetering.domain.testdata.EvidenceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;

class EvidenceBundleQueryTest {
    private final TestMetering app = new TestMetering();
    private final Evidence evidence = EvidenceBuilder.anEvidence().withOutput("customer_email", "ann@contoso.com")
            .withQuery("Summarize contract 42").build();

    private Optional<EvidenceBundle> bundle(String correlationId) {
        return app.useCases().charges().evidenceBundle(CorrelationId.of(correlationId));
    }

    @Test
    void explainsAChargeFromDecisionToTheMarketplacesAnswer() {
        app.record(aReport().withCorrelationId("c1").withEvidence(evidence));
        app.at("2025-06-01T15:10:00Z").closeHours();
        app.submit();

        EvidenceBundle bundle = bundle("c1").orElseThrow();

        assertThat(bundle.decision().evidence()).isEqualTo(evidence);
        assertThat(bundle.decision().decision().billable()).isTrue();
        assertThat(bundle.outcome()).isInstanceOf(OutcomeRecord.Charged.class);
        assertThat(bundle.charge().state()).isEqualTo(ChargeState.BILLABLE);
        assertThat(bundle.history()).extracting(LedgerEntry::entryId).containsExactly("c1#0", "c1#1");
        assertThat(bundle.usageEvent().status()).isEqualTo(UsageEventStatus.ACCEPTED);
        assertThat(bundle.usageEvent().event().quantity()).isEqualTo(1);
        assertThat(bundle.submissionAttempts()).hasSize(1);
    }

    @Test
    void aNotBillableDecisionHasNoChargeOrHistory() {
        app.record(aReport().withCorrelationId("c1").failed());

        EvidenceBundle bundle = bundle("c1").orElseThrow();

        assertThat(bundle.decision().decision().reasonCodes()).contains("terminal_success:failed");
        assertThat(bundle.charge()).isNull();
        assertThat(bundle.history()).isEmpty();
        assertThat(bundle.usageEvent()).isNull();
        assertThat(bundle.submissionAttempts()).isEmpty();
    }

    @Test
    void aDuplicatesBundleShowsTheOriginalChargeThatBillsTheTask() {
        app.record(aReport().withCorrelationId("c1"));
        app.record(aReport().withCorrelationId("c2"));

        EvidenceBundle bundle = bundle("c2").orElseThrow();

        assertThat(bundle.outcome()).isEqualTo(new OutcomeRecord.Duplicate(CorrelationId.of("c2"), CorrelationId.of("c1")));
        assertThat(bundle.charge().correlationId()).isEqualTo(CorrelationId.of("c1"));
        assertThat(bundle.history()).extracting(LedgerEntry::entryId).containsExactly("c1#0");
        assertThat(bundle.usageEvent()).as("hour not closed yet").isNull();
    }

    @Test
    void configuredKeysAreRedactedButTheDigestIsOfTheEvidenceAsReceived() {
        app.withPolicy(p -> p.withRedactKeys(Set.of("customer_email", "query")));
        app.record(aReport().withCorrelationId("c1").withEvidence(evidence));

        EvidenceBundle bundle = bundle("c1").orElseThrow();

        Evidence shown = bundle.decision().evidence();
        assertThat(shown.outputs()).containsEntry("customer_email", "[REDACTED]")
                .containsEntry("result", "Summary generated").containsEntry("status", "completed");
        assertThat(shown.query()).isEqualTo("[REDACTED]");
        assertThat(shown.response()).isEqualTo(evidence.response());
        assertThat(bundle.decision().decision().evidenceSha256()).isEqualTo(EvidenceDigest.sha256(evidence))
                .isNotEqualTo(EvidenceDigest.sha256(shown));
        assertThat(app.store.findDecision(CorrelationId.of("c1")).orElseThrow().evidence())
                .as("the stored evidence is untouched").isEqualTo(evidence);
    }

    @Test
    void theBundleNamesHowTheDigestWasComputedRedactedOrNot() {
        app.record(aReport().withCorrelationId("c1").withEvidence(evidence));
        StoredDecision made = app.store.findDecision(CorrelationId.of("c1")).orElseThrow();
        app.store.insertDecisions(List.of(NewDecision.notBillable(new StoredDecision(CorrelationId.of("old"),
                made.taskId(), made.agentId(), made.subscription(), made.dimension(), made.planId(), made.kind(),
                made.occurredAt(), made.receivedAt(), made.evidence(), made.decision(), made.metadata(),
                EvidenceCanonicalization.LEGACY))));

        assertThat(bundle("c1").orElseThrow().decision().evidenceCanonicalization())
                .isEqualTo(EvidenceCanonicalization.RFC8785);
        assertThat(bundle("old").orElseThrow().decision().evidenceCanonicalization())
                .isEqualTo(EvidenceCanonicalization.LEGACY);
        app.withPolicy(p -> p.withRedactKeys(Set.of("customer_email")));
        assertThat(bundle("old").orElseThrow().decision().evidenceCanonicalization())
                .as("redacting keeps the label").isEqualTo(EvidenceCanonicalization.LEGACY);
    }

    @Test
    void anUnknownCorrelationIdHasNoBundle() {
        assertThat(bundle("nope")).isEmpty();
    }
}
