package io.lathe.cli;

import picocli.CommandLine.Option;

/** Options every subcommand shares. */
final class CommonOptions {
    @Option(names = "--json", description = "Print one JSON object on stdout (logs go to stderr).")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;
}
