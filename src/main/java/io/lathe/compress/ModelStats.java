package io.lathe.compress;

import java.util.List;

/**
 * Size and work figures of a (compressed) model.
 *
 * @param totalParams     all parameters
 * @param weightParams    parameters in prunable weight tensors
 * @param nonZeroParams   parameters that are not zero (all kinds)
 * @param sparsity        zero fraction of the prunable weights
 * @param sizeBytes       size under {@link SizeModel}
 * @param fp32Bytes       4 bytes × all parameters
 * @param macs            dense MACs per image
 * @param nonZeroMacs     MACs of the non-zero weights per image (what sparse hardware would do)
 * @param layers          per-layer rows, in execution order
 */
public record ModelStats(long totalParams, long weightParams, long nonZeroParams, double sparsity, long sizeBytes,
                         long fp32Bytes, long macs, long nonZeroMacs, List<LayerStats> layers) {

    /** fp32 size divided by compressed size. */
    public double compressionRatio() {
        return sizeBytes == 0 ? 0 : (double) fp32Bytes / sizeBytes;
    }

    /**
     * One layer's figures.
     *
     * @param speed "latency-real" when the change can make inference faster here (whole channels
     *              removed), "size-only" when it only makes the model smaller, "none" when unchanged
     */
    public record LayerStats(String name, long params, long weights, long nonZero, double sparsity, int bits,
                             String granularity, double threshold, long sizeBits, long macs, long nonZeroMacs,
                             String speed) {
    }
}
