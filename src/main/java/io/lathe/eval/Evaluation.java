package io.lathe.eval;

import io.lathe.data.LabeledImages;

/**
 * Accuracy of a network on a set of images: top-1, per class, and the confusion matrix.
 *
 * @param top1        fraction correct
 * @param images      images evaluated
 * @param seconds     wall time of the evaluation
 * @param predictions predicted class per image
 * @param confusion   confusion[true][predicted] counts: one row per data class, one column per class the
 *                    network predicted (more columns than rows when it predicted a class the data lacks),
 *                    so that top-1 is always the diagonal over the images
 */
public record Evaluation(double top1, int images, double seconds, int[] predictions, int[][] confusion) {

    /** Builds the evaluation of predictions against labels. */
    public static Evaluation of(int[] predictions, LabeledImages images, double seconds) {
        int k = images.classes();
        int columns = k;
        for (int p : predictions) {
            if (p < 0) {
                throw new IllegalArgumentException("negative predicted class " + p);
            }
            columns = Math.max(columns, p + 1);
        }
        int[][] confusion = new int[k][columns];
        int correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            int t = images.label(i);
            confusion[t][predictions[i]]++;
            if (t == predictions[i]) {
                correct++;
            }
        }
        double top1 = predictions.length == 0 ? 0 : (double) correct / predictions.length;
        return new Evaluation(top1, predictions.length, seconds, predictions, confusion);
    }

    /** Accuracy of each true class (NaN for classes with no images; the CLI's JSON writes it as null). */
    public double[] perClass() {
        double[] out = new double[confusion.length];
        for (int t = 0; t < confusion.length; t++) {
            int n = 0;
            for (int c : confusion[t]) {
                n += c;
            }
            out[t] = n == 0 ? Double.NaN : (double) confusion[t][t] / n;
        }
        return out;
    }

    /** Half-width of the 95% Wilson interval for top-1, in fraction units. */
    public double interval95() {
        return Intervals.wilsonHalfWidth(top1, images);
    }
}
