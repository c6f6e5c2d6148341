package io.lathe.cli;

import io.lathe.data.Augmentation;
import picocli.CommandLine.Option;

/** {@code --augment}, shared by every command that trains. */
final class AugmentOptions {
    @Option(names = "--augment", paramLabel = "KIND", description = "How training images are varied: crop4-flip "
            + "(random crop with 4-pixel padding and horizontal flip, the standard for photos), shift2-flip or none. "
            + "Default: the data's own: crop4-flip for image folders and CIFAR-10 batches, none for idx files, "
            + "shift2-flip for the bundled Fashion-MNIST.")
    String augment;

    /** The chosen augmentation, or null for the data's own. */
    Augmentation augmentation() {
        return augment == null ? null : Augmentation.parse(augment);
    }
}
