package io.lathe.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How training images are varied batch by batch: a random crop of the image padded by {@code pad}
 * pixels on every side (the same as shifting it by up to ±{@code pad} px, the uncovered border filled
 * with 0 in the model's input space), and a random horizontal flip. The data's format gives the
 * default ({@link #forData}); fine-tuning commands take {@code --augment} to override it.
 *
 * @param name the CLI spelling
 * @param pad  crop padding in pixels (0 = no crop)
 * @param flip random horizontal flips
 */
public record Augmentation(String name, int pad, boolean flip) {
    /** The standard CIFAR augmentation: random crop with 4-pixel padding, horizontal flip. */
    public static final Augmentation STANDARD = new Augmentation("crop4-flip", 4, true);
    /** What the bundled Fashion-MNIST samples were trained with: shift ±2 px, horizontal flip. */
    public static final Augmentation SAMPLE = new Augmentation("shift2-flip", 2, true);
    /** No augmentation (digits, where a flip changes the class). */
    public static final Augmentation NONE = new Augmentation("none", 0, false);

    public Augmentation {
        if (pad < 0) {
            throw new IllegalArgumentException("crop padding must be >= 0, got " + pad);
        }
    }

    /** Parses the CLI spelling: crop4-flip (or standard), shift2-flip, none. */
    public static Augmentation parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "crop4-flip", "standard" -> STANDARD;
            case "shift2-flip" -> SAMPLE;
            case "none", "off" -> NONE;
            default -> throw new IllegalArgumentException("unknown augmentation '" + text
                    + "': use crop4-flip (standard for photos), shift2-flip or none");
        };
    }

    /**
     * The default for a data folder: photos (image folders, CIFAR-10 binary) get the standard crop and
     * flip; an idx folder gets none (it may hold digits, which a flip changes); the bundled
     * Fashion-MNIST (null, or its folder named) gets what the sample models were trained with.
     */
    public static Augmentation forData(Path folder) {
        if (folder == null || isBundled(folder)) {
            return SAMPLE;
        }
        return FashionMnist.isIdxFolder(folder) ? NONE : STANDARD;
    }

    private static boolean isBundled(Path folder) {
        for (Path p : FashionMnist.defaultFolders()) {
            try {
                if (Files.isDirectory(p) && Files.isSameFile(p, folder)) {
                    return true;
                }
            } catch (IOException e) {
                // an unreadable candidate is not the bundled folder
            }
        }
        return false;
    }

    /** One line for records and the window. */
    public String describe() {
        if (pad == 0 && !flip) {
            return "none";
        }
        String crop = pad == 0 ? "" : "random crop with " + pad + "-pixel padding (shift up to ±" + pad + " px)";
        return crop + (flip ? (crop.isEmpty() ? "" : ", ") + "horizontal flip" : "");
    }
}
