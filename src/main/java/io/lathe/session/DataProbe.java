package io.lathe.session;

import io.lathe.job.Progress;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A quick look at a data folder under a preprocessing for the open model, for the data dialog: the
 * model's accuracy on the first few validation images, before the data is opened for real.
 */
public interface DataProbe {
    /** The named preprocessing presets, in the order to offer them. */
    java.util.List<String> presets();

    /** The preprocessing {@code spec} (a preset name or a JSON file) in words. */
    String describe(String spec);

    /** Reads the folder with the preprocessing and measures the model on its first {@code images} validation images. Engine thread. */
    Result measure(Path folder, String spec, int images, Progress progress) throws IOException;

    /**
     * What the quick check measured.
     *
     * @param top1       accuracy on the images measured
     * @param interval95 half-width of its 95% interval
     * @param images     images measured
     * @param classes    classes in the data
     */
    record Result(double top1, double interval95, int images, int classes) {
        /** One line for the dialog. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, "Accuracy on the first %d validation images: %.2f%% ± %.2f (%d classes)",
                    images, 100 * top1, 100 * interval95, classes);
        }
    }
}
