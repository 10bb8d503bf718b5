package io.taskmetering.domain.meter;

import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.testdata.EvidenceBuilder;
import io.taskmetering.domain.testdata.MutableClock;
import io.taskmetering.domain.testdata.OutcomeBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generated agent reports for the meter's properties: few task ids, several subscriptions and hours, so that retries,
 * replays, late arrivals and hour boundaries are frequent. Reports arrive in a shuffled order while the clock only
 * moves forward, so some arrive after their hour closed.
 */
final class ReportStream {
    static final Instant BASE = Instant.parse("2025-06-01T12:00:00Z");
    static final Instant FAR_FUTURE = BASE.plus(Duration.ofDays(2));

    enum Kind { BILLABLE, FAILED, AMBIGUOUS }

    /**
     * One report. {@code delayMinutes} is how long after it happened it reaches the meter (at the earliest);
     * {@code closeAfter} asks for a close of due hours right after it.
     */
    record Report(int index, String subscription, String task, int minute, Kind kind, int delayMinutes,
                  boolean closeAfter) {
        String correlationId() {
            return "corr-" + index;
        }

        Instant occurredAt() {
            return BASE.plus(Duration.ofMinutes(minute));
        }

        Outcome outcome() {
            Evidence evidence = switch (kind) {
                case BILLABLE -> EvidenceBuilder.anEvidence().build();
                case FAILED -> EvidenceBuilder.anEvidence().withOutput("status", "failed").build();
                case AMBIGUOUS -> EvidenceBuilder.anEvidence().withOutput("human_handoff", true).build();
            };
            return OutcomeBuilder.anOutcome().withCorrelationId(correlationId()).forTask(task)
                    .forSubscription(subscription).occurredAt(occurredAt()).withEvidence(evidence).build();
        }
    }

    private ReportStream() {
    }

    static Arbitrary<Report> reports(boolean withAmbiguity) {
        Arbitrary<Kind> kinds = withAmbiguity
                ? Arbitraries.frequency(Tuple2s.of(7, Kind.BILLABLE), Tuple2s.of(2, Kind.FAILED),
                Tuple2s.of(1, Kind.AMBIGUOUS))
                : Arbitraries.frequency(Tuple2s.of(4, Kind.BILLABLE), Tuple2s.of(1, Kind.FAILED));
        return Combinators.combine(
                Arbitraries.of("sub-a", "sub-b", "sub-c"),
                Arbitraries.integers().between(1, 6).map(i -> "task-" + i),
                Arbitraries.integers().between(0, 4 * 60 - 1),
                kinds,
                Arbitraries.frequency(Tuple2s.of(3, 0), Tuple2s.of(2, 5), Tuple2s.of(1, 45), Tuple2s.of(1, 120)),
                Arbitraries.integers().between(0, 9).map(i -> i == 0)
        ).as((sub, task, minute, kind, delay, close) -> new Report(-1, sub, task, minute, kind, delay, close));
    }

    /** Numbers the reports, then adds exact re-sends (same correlation id) of some of them and shuffles everything. */
    static List<Report> arrivalOrder(List<Report> generated, List<Integer> resent, long seed) {
        List<Report> numbered = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            Report r = generated.get(i);
            numbered.add(new Report(i, r.subscription(), r.task(), r.minute(), r.kind(), r.delayMinutes(),
                    r.closeAfter()));
        }
        List<Report> arrivals = new ArrayList<>(numbered);
        for (int pick : resent) {
            arrivals.add(numbered.get(Math.floorMod(pick, numbered.size())));
        }
        Collections.shuffle(arrivals, new Random(seed));
        return arrivals;
    }

    /** Feeds the reports to the meter in arrival order with a clock that never goes back. */
    static List<MeteredOutcome> feed(OutcomeMeter meter, MutableClock clock, List<Report> arrivals) {
        List<MeteredOutcome> results = new ArrayList<>();
        for (Report report : arrivals) {
            Instant earliest = report.occurredAt().plus(Duration.ofMinutes(report.delayMinutes()));
            if (earliest.isAfter(clock.instant())) {
                clock.setTo(earliest);
            }
            results.add(meter.record(report.outcome()));
            if (report.closeAfter()) {
                meter.closeDueHours();
            }
        }
        return results;
    }

    /** jqwik's frequency tuples, spelled briefly. */
    static final class Tuple2s {
        private Tuple2s() {
        }

        static <T> net.jqwik.api.Tuple.Tuple2<Integer, T> of(int frequency, T value) {
            return net.jqwik.api.Tuple.of(frequency, value);
        }
    }
}
