package io.taskmetering.bootstrap;

import java.io.PrintStream;
import java.util.Arrays;

/** The command line of the runnable jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "" : args[0];
        switch (command) {
            case "demo":
                return ContosoDemo.run(out);
            default:
                err.println("usage: java -jar agent-task-metering.jar <command>");
                err.println("  demo   run the Contoso scenario and print decisions and the usage event");
                if (!command.isEmpty()) {
                    err.println("unknown command: " + command + " " + String.join(" ", Arrays.asList(args).subList(1, args.length)));
                }
                return 2;
        }
    }
}
