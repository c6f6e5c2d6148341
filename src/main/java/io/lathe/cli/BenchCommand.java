package io.lathe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench}: measured figures and ratios taken side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print measured figures and ratios taken in one run.",
        subcommands = {BenchEvalCommand.class, BenchPreviewCommand.class, BenchSweepCommand.class,
                BenchLatencyCommand.class, BenchSoakCommand.class})
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
