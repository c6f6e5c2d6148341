package io.lathe.data;

/** Refuses data whose number of classes differs from the model's number of outputs. */
public final class ClassCount {
    private static final int LISTED = 12;

    private ClassCount() {
    }

    /**
     * Throws when {@code outputs} (the model's, or a negative number when unknown) differs from the
     * class count of {@code data}, in one line naming both and saying what to do.
     */
    public static void check(int outputs, DataSplits data) {
        int classes = data.classes();
        if (outputs <= 0 || outputs == classes) {
            return;
        }
        throw new IllegalArgumentException("the model has " + outputs + " outputs but " + data.source() + " has "
                + classes + " class" + (classes == 1 ? "" : "es") + " (" + names(data.train().classNames())
                + "); open data with the model's " + outputs + " classes (one sub-folder per class, named as "
                + "the model's classes), or a model trained for these " + classes);
    }

    private static String names(String[] names) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(LISTED, names.length); i++) {
            b.append(i == 0 ? "" : ", ").append(names[i]);
        }
        if (names.length > LISTED) {
            b.append(", … ").append(names.length - LISTED).append(" more");
        }
        return b.toString();
    }
}
