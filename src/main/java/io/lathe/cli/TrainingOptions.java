package io.lathe.cli;

import picocli.CommandLine.Option;

/** Training options shared by the commands that fine-tune ({@code finetune}, {@code sparse-vs-dense}). */
final class TrainingOptions {
    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "5e-4", description = "Adam learning rate at the start; x0.3 at 50%%, "
            + "x0.1 at 75%%, x0.03 at 90%% of the steps (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "42", description = "Shuffling/augmentation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--limit-train", defaultValue = "0", description = "Use only the first N training images.")
    int limitTrain;
}
