package io.lathe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code lathe} command line: headless subcommands over the same services the workbench uses. */
@Command(name = "lathe", mixinStandardHelpOptions = true, version = "Lathe 0.1.0",
        description = "Compress ResNet models: inspect, evaluate, benchmark, train samples.",
        subcommands = {InfoCommand.class, EvalCommand.class, BenchCommand.class, TrainSampleCommand.class,
                CompressCommand.class, FineTuneCommand.class, SparseVsDenseCommand.class,
                PruneChannelsCommand.class, ShareCommand.class, CompareGranularityCommand.class,
                ActivationPruneCommand.class, LowRankCommand.class, SensitivityCommand.class, AllocateCommand.class,
                WorkerCommand.class})
public final class LatheCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** True if {@code name} is one of the subcommands (so an argument of that name is never taken for a file). */
    public static boolean isSubcommand(String name) {
        return new CommandLine(new LatheCommand()).getSubcommands().containsKey(name);
    }

    /** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 bad usage. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new LatheCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || (parseResult.subcommand() != null && hasVerbose(parseResult.subcommand()));
            PrintWriter err = commandLine.getErr();
            err.println("lathe: " + Errors.describe(ex));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    private static boolean hasVerbose(CommandLine.ParseResult pr) {
        if (pr.hasMatchedOption("--verbose")) {
            return true;
        }
        return pr.subcommand() != null && hasVerbose(pr.subcommand());
    }
}
