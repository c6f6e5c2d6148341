package io.lathe.export;

import io.lathe.compress.CompressedLayer;
import io.lathe.compress.Granularity;
import io.lathe.compress.QuantSetting;
import io.lathe.compress.Quantizer;

/**
 * What the packer knows about how a weight tensor was compressed, so it can store it compactly: the
 * keep mask (filters-major, at the pruning granularity) and, for integer quantization, the scales and
 * zero points the values are multiples of.
 *
 * @param keep        per-weight keep mask in filters-major order, or null if nothing was pruned
 * @param granularity pruning granularity (meaningful when keep is not null)
 * @param blockShape  block shape for block granularity
 * @param quant       quantization of the values
 * @param scales      per channel (or one) scale of integer codes; empty otherwise
 * @param zeroPoints  zero point per scale
 * @param centroids   weight sharing codebook (the shared values), or null when the layer is not shared
 * @param centroidFactors per filter factor the shared values are multiplied by (BatchNorm folding), or
 *                    null when they are stored as they are
 */
public record WeightCoding(boolean[] keep, Granularity granularity, String blockShape, QuantSetting quant,
                           float[] scales, int[] zeroPoints, float[] centroids, float[] centroidFactors) {

    /** A coding without weight sharing. */
    public WeightCoding(boolean[] keep, Granularity granularity, String blockShape, QuantSetting quant,
                        float[] scales, int[] zeroPoints) {
        this(keep, granularity, blockShape, quant, scales, zeroPoints, null, null);
    }

    /** The value of a shared weight of filter {@code filter} with centroid {@code k}, as folding computes it. */
    public float sharedValue(int k, int filter) {
        return centroidFactors == null ? centroids[k] : centroids[k] * centroidFactors[filter];
    }

    /** The coding of a compressed layer, its integer scales multiplied per channel by {@code channelFactor} (or not, if null). */
    public static WeightCoding of(CompressedLayer l, float[] channelFactor) {
        Quantizer.Scale[] s = l.scales();
        float[] scales = new float[s.length];
        int[] zps = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            scales[i] = channelFactor == null ? s[i].scale() : foldedScale(s[i].scale(), channelFactor[s.length == 1 ? 0 : i]);
            zps[i] = s[i].zeroPoint();
        }
        QuantSetting q = l.quant();
        if (channelFactor != null && s.length == 1 && channelFactor.length > 1 && q.isInteger()) {
            // A per-tensor scale becomes per channel once each channel is multiplied by its own factor.
            scales = new float[channelFactor.length];
            zps = new int[channelFactor.length];
            for (int c = 0; c < channelFactor.length; c++) {
                scales[c] = foldedScale(s[0].scale(), channelFactor[c]);
                zps[c] = s[0].zeroPoint();
            }
            q = new QuantSetting(q.bits(), true, q.symmetric());
        }
        float[] centroids = l.codebook() == null ? null : l.codebook().centroids().clone();
        return new WeightCoding(l.keep(), l.prune().granularity(), l.prune().blockShape(), q, scales, zps, centroids,
                centroids == null || channelFactor == null ? null : channelFactor.clone());
    }

    /** The scale of a quantized channel after multiplying the channel by {@code factor}: defines folded weights. */
    public static float foldedScale(float scale, float factor) {
        return scale * factor;
    }
}
