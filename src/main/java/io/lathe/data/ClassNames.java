package io.lathe.data;

import java.util.Arrays;
import java.util.List;

/** Matches a data set's classes to a model's class list by name. */
public final class ClassNames {
    private ClassNames() {
    }

    /**
     * {@code data} relabelled so that class {@code i} is {@code modelClasses[i]}: each data class is
     * found by name (the data may lack some of the model's classes, never add one).
     *
     * @throws IllegalArgumentException naming a data class the model does not know
     */
    public static DataSplits matchTo(DataSplits data, String[] modelClasses) {
        String[] dataNames = data.train().classNames();
        if (Arrays.equals(dataNames, modelClasses)) {
            return data;
        }
        List<String> order = Arrays.asList(modelClasses);
        int[] map = new int[dataNames.length];
        for (int c = 0; c < dataNames.length; c++) {
            map[c] = order.indexOf(dataNames[c]);
            if (map[c] < 0) {
                throw new IllegalArgumentException("class '" + dataNames[c] + "' of " + data.source()
                        + " is not among the model's classes (" + String.join(", ", modelClasses)
                        + "); rename the class folder to one of them, or open data made for this model");
            }
        }
        return new DataSplits(data.source(), relabel(data.train(), map, modelClasses),
                relabel(data.validation(), map, modelClasses), relabel(data.test(), map, modelClasses),
                data.preprocessing(), data.pixelMean(), data.augmentation());
    }

    private static LabeledImages relabel(LabeledImages images, int[] map, String[] names) {
        int[] labels = new int[images.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = map[images.label(i)];
        }
        return new LabeledImages(images.name(), images.pixels(), labels, images.channels(), images.height(),
                images.width(), names.length, names.clone());
    }
}
