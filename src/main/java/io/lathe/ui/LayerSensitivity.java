package io.lathe.ui;

/**
 * A layer's sensitivity as the layer tree shows it: its rank bucket among the swept layers and the
 * raw score behind it.
 *
 * @param bucket "low", "medium", "high" or "top 5%"
 * @param score  mean accuracy drop in percentage points over the swept sparsity levels
 */
public record LayerSensitivity(String bucket, double score) {
    /** The cell text, e.g. "high (2.31)". */
    public String text() {
        return bucket + " (" + String.format(java.util.Locale.ROOT, "%.2f", score) + ")";
    }
}
