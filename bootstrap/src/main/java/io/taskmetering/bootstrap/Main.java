package io.taskmetering.bootstrap;

import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.in.ReconcileCommand;
import io.taskmetering.application.port.in.ReconcileResult;
import io.taskmetering.domain.billing.UsageEventStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of the runnable jar: {@code serve}, {@code demo}, {@code submit}, {@code reconcile}, {@code bench},
 * {@code replay}.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != SERVING) {
            System.exit(code);
        }
    }

    /** Returned by {@code serve}: the process keeps running until SIGTERM. */
    static final int SERVING = -1;

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "" : args[0];
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(Math.min(1, args.length), args.length));
        try {
            return switch (command) {
                case "serve" -> serve(loadConfig(rest), out);
                case "submit" -> submit(loadConfig(rest), out);
                case "reconcile" -> reconcile(rest, out, err);
                case "demo" -> rest.equals(List.of("--embedded")) ? EmbeddedContosoDemo.run(out) : ContosoDemo.run(out);
                case "bench" -> Bench.run(rest, out, err);
                case "replay" -> ReplayCommand.run(rest, out, err);
                default -> usage(err, command);
            };
        } catch (ConfigException e) {
            err.println("configuration error: " + Redactor.text(e.getMessage()));
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + Redactor.text(e.getMessage()));
            return 2;
        }
    }

    static MeteringConfig loadConfig(List<String> args) {
        Path file = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--config") && i + 1 < args.size()) {
                file = Path.of(args.get(++i));
            } else if (arg.startsWith("--config=")) {
                file = Path.of(arg.substring("--config=".length()));
            } else {
                throw new IllegalArgumentException("unknown option " + arg + " (only --config FILE)");
            }
        }
        return MeteringConfig.load(ConfigSource.of(file, System.getenv()));
    }

    private static int serve(MeteringConfig config, PrintStream out) {
        long started = System.nanoTime();
        MeteringService service = MeteringService.serve(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("event=shutdown_requested");
            service.close();
            stopped.countDown();
        }, "shutdown"));
        LOG.info("event=started url=http://localhost:{} marketplace={} db={} instance={} startup_ms={}", service.port(),
                config.liveMarketplace().isPresent() ? "live" : "dry-run", Redactor.text(config.database().url()),
                config.instanceId(), (System.nanoTime() - started) / 1_000_000);
        return SERVING;
    }

    private static int submit(MeteringConfig config, PrintStream out) {
        try (MeteringService service = MeteringService.headless(config, Clock.systemUTC())) {
            BillingScheduler.RunSummary summary = service.scheduler().runOnce(false);
            out.printf("closed %d hour(s) (%d empty), submitted %d usage event(s), %d charge(s) became BILLABLE%n",
                    summary.closed().events().size(), summary.closed().emptyBuckets().size(),
                    summary.submissions().size(), summary.chargesInvoiced());
            summary.submissions().forEach(result -> out.printf("  %s %s%s%n", result.key(), result.status(),
                    result.errorMessage() == null ? "" : " " + result.errorMessage()));
            return submitExitCode(summary.submissions().stream().map(SubmissionResult::status).toList());
        }
    }

    /** Exit code of {@code submit} when some hour needs a person (refused, expired, discrepancy; an anomaly is stored). */
    static final int SUBMIT_NEEDS_ATTENTION = 3;
    /** Exit code of {@code submit} when some hour is left for the next run (sysexits' EX_TEMPFAIL). */
    static final int SUBMIT_RETRY_LATER = 75;

    /** For cron: 0 only when every submitted hour is settled; an hour that needs a person outranks one left to retry. */
    static int submitExitCode(List<SubmissionStatus> statuses) {
        if (statuses.stream().anyMatch(s -> s.eventStatus().terminal() && s.eventStatus() != UsageEventStatus.ACCEPTED
                && s.eventStatus() != UsageEventStatus.DRY_RUN)) {
            return SUBMIT_NEEDS_ATTENTION;
        }
        return statuses.contains(SubmissionStatus.RETRY_LATER) ? SUBMIT_RETRY_LATER : 0;
    }

    /** Exit code of {@code reconcile} when some hour differs from the Marketplace (each difference is an anomaly). */
    static final int RECONCILE_DIFFERENCES = 3;
    /** Exit code of {@code reconcile} when the Marketplace could not be asked (sysexits' EX_TEMPFAIL): run it again. */
    static final int RECONCILE_RETRY_LATER = 75;

    private static int reconcile(List<String> args, PrintStream out, PrintStream err) {
        List<String> configArgs = new ArrayList<>(args);
        int at = configArgs.indexOf("--day");
        if (at < 0 || at + 1 >= configArgs.size()) {
            throw new IllegalArgumentException("reconcile needs --day YYYY-MM-DD");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(configArgs.get(at + 1));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--day must be a date YYYY-MM-DD, was " + configArgs.get(at + 1));
        }
        configArgs.subList(at, at + 2).clear();
        try (MeteringService service = MeteringService.headless(loadConfig(configArgs), Clock.systemUTC())) {
            ReconcileResult result = service.useCases().reconcile().reconcile(new ReconcileCommand(day));
            return reconcileExitCode(result, out, err);
        }
    }

    /** For cron: 0 when every hour matched (or, in dry-run, when there is nothing to compare). */
    static int reconcileExitCode(ReconcileResult result, PrintStream out, PrintStream err) {
        if (result instanceof ReconcileResult.Reconciled reconciled) {
            Reconciliation run = reconciled.reconciliation();
            out.printf("reconciled %s: %d hour(s) compared, %d matching, %d mismatched, %d missing at the Marketplace,"
                            + " %d missing here%n", run.day(), run.hoursCompared(), run.matching(),
                    run.of(Reconciliation.Kind.MISMATCHED).size(), run.of(Reconciliation.Kind.MISSING_AT_MARKETPLACE).size(),
                    run.of(Reconciliation.Kind.MISSING_HERE).size());
            run.differences().forEach(d -> out.printf("  %s %s %s %s ours=%d theirs=%s%n",
                    d.kind().name().toLowerCase(Locale.ROOT), d.subscription().value(), d.dimension().value(),
                    d.hour().start(), d.ours(), d.theirs().toPlainString()));
            return run.consistent() ? 0 : RECONCILE_DIFFERENCES;
        }
        if (result instanceof ReconcileResult.NothingToCompare) {
            out.println(ReconcileResult.NothingToCompare.MESSAGE);
            return 0;
        }
        if (result instanceof ReconcileResult.DayOutOfRange range) {
            err.println("error: --day must be between " + range.earliest() + " and " + range.latest() + " (today, UTC)");
            return 2;
        }
        err.println("error: the Marketplace could not be asked: "
                + ((ReconcileResult.MarketplaceUnavailable) result).reason());
        return RECONCILE_RETRY_LATER;
    }

    private static int usage(PrintStream err, String command) {
        if (!command.isEmpty()) {
            err.println("unknown command: " + command);
        }
        err.println("usage: java -jar agent-task-metering.jar <command> [options]");
        err.println("  serve  [--config FILE]   run the API and the scheduler (Ctrl-C or SIGTERM stops gracefully)");
        err.println("  submit [--config FILE]   close due hours and submit once, then exit");
        err.println("  reconcile --day YYYY-MM-DD [--config FILE]");
        err.println("                           compare the day with the Marketplace; exit 3 when an hour differs");
        err.println("  demo   [--embedded]      the Contoso scenario through the real stack (or the domain jar alone)");
        err.println("  bench  [--outcomes N] [--mode in-process|http|embedded|otlp] [--encoding protobuf|json]"
                + " [--batch B] [--concurrency C] [--db URL] [--shadow on|off]");
        err.println("  replay --contract V|as_recorded --from T --to T [--subscription S] [--config FILE]");
        err.println("                           replay stored decisions under a contract version, changing nothing");
        return 2;
    }
}
