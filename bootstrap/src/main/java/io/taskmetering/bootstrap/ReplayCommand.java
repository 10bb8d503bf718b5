package io.taskmetering.bootstrap;

import io.taskmetering.application.model.DecisionFlip;
import io.taskmetering.application.port.in.ReplayQuery;
import io.taskmetering.application.port.in.ReplayResult;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code replay --contract V --from T --to T [--subscription S] [--config FILE]}: the replay {@code POST /v1/replays}
 * answers, run on the configured database directly (no running service, no API key; the replay only reads), printed as
 * a summary with every flip, every hour's difference and every mismatch.
 */
final class ReplayCommand {
    /** Exit code when a decision did not replay as recorded: a determinism defect to look into. */
    static final int MISMATCHES = 3;
    private static final int PAGE = 1_000;

    private ReplayCommand() {
    }

    /** The options, and what is left for {@link Main#loadConfig}. */
    record Options(String contract, Instant from, Instant to, String subscription, List<String> configArgs) {
    }

    static Options parse(List<String> args) {
        String contract = null;
        String from = null;
        String to = null;
        String subscription = null;
        List<String> configArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (i + 1 >= args.size() || !arg.startsWith("--")) {
                throw new IllegalArgumentException("replay options are --contract V --from T --to T [--subscription S]"
                        + " [--config FILE], got " + arg);
            }
            String value = args.get(++i);
            switch (arg) {
                case "--contract" -> contract = value;
                case "--from" -> from = value;
                case "--to" -> to = value;
                case "--subscription" -> subscription = value;
                case "--config" -> configArgs.addAll(List.of(arg, value));
                default -> throw new IllegalArgumentException("unknown replay option " + arg);
            }
        }
        if (contract == null || from == null || to == null) {
            throw new IllegalArgumentException("replay needs --contract (a version or as_recorded), --from and --to");
        }
        return new Options(contract, instant("--from", from), instant("--to", to), subscription, configArgs);
    }

    private static Instant instant(String option, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 instant such as 2026-03-02T10:00:00Z");
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options = parse(args);
        try (MeteringService service = MeteringService.headless(Main.loadConfig(options.configArgs()), Clock.systemUTC())) {
            Set<SubscriptionRef> subscriptions;
            ReplayQuery first;
            try {
                subscriptions = options.subscription() == null ? Set.of() : Set.of(new SubscriptionRef(options.subscription()));
                first = new ReplayQuery(options.contract(), options.from(), options.to(), subscriptions, PAGE, null);
            } catch (InvalidValueException e) {
                throw new IllegalArgumentException(e.field() + " " + e.reason());
            }
            ReplayResult result = service.useCases().replays().replay(first);
            if (result instanceof ReplayResult.UnknownVersion unknown) {
                err.println("error: no contract version " + unknown.version());
                return 2;
            }
            if (result instanceof ReplayResult.WindowTooLarge tooLarge) {
                err.println("error: the window holds more than " + tooLarge.maxDecisions()
                        + " decisions; replay shorter windows or one --subscription at a time");
                return 2;
            }
            ReplayResult.Replayed replayed = (ReplayResult.Replayed) result;
            print(replayed, options, out);
            // The counts cover the window on every page; only the flips are paged.
            String cursor = replayed.nextCursor();
            while (cursor != null) {
                ReplayResult.Replayed page = (ReplayResult.Replayed) service.useCases().replays().replay(
                        new ReplayQuery(options.contract(), options.from(), options.to(), subscriptions, PAGE, cursor));
                page.flips().forEach(flip -> out.println(flip(flip)));
                cursor = page.nextCursor();
            }
            return replayed.mismatchCount() == 0 ? 0 : MISMATCHES;
        }
    }

    private static void print(ReplayResult.Replayed r, Options options, PrintStream out) {
        out.printf("replayed %d decision(s) that occurred from %s to %s%s under %s%n", r.replayed(), options.from(),
                options.to(), options.subscription() == null ? "" : " for " + options.subscription(), r.contractVersion());
        out.printf("unchanged %d, flipped to billable %d, flipped to not billable %d, mismatches %d%n", r.unchanged(),
                r.flippedToBillable(), r.flippedToNotBillable(), r.mismatchCount());
        r.hours().forEach(h -> out.printf("  hour %s %s quantity difference %+d%n", h.hour(), h.subscription().value(),
                h.quantityDifference()));
        r.mismatches().forEach(m -> out.printf("  mismatch %s (%s): %s%n", m.correlationId().value(), m.contractVersion(),
                m.difference()));
        r.flips().forEach(flip -> out.println(flip(flip)));
    }

    private static String flip(DecisionFlip f) {
        return String.format("  flip %s task %s %s %s to %s: recorded %s, replayed %s", f.correlationId().value(),
                f.taskId().value(), f.subscription().value(), f.hour(), f.toBillable() ? "billable" : "not billable",
                f.fromReasonCodes(), f.toReasonCodes());
    }
}
