package io.lathe.compress;

/**
 * Lathe's stated size encoding, used for every "size" figure before a real packed export exists:
 * <ul>
 *   <li>unpruned weights: {@code n × bits};</li>
 *   <li>pruned weights: a keep-bitmask of one bit per pruning group (weight, block or channel) plus
 *       {@code bits} per kept weight;</li>
 *   <li>integer quantization adds one fp32 scale per channel (per tensor: one), plus an 8-bit zero
 *       point each when asymmetric;</li>
 *   <li>weight sharing stores {@code bits}-wide indices instead, plus a codebook of fp32 values;</li>
 *   <li>all other parameters (biases, BatchNorm) stay fp32.</li>
 * </ul>
 * The packed export (entropy-coded) is usually smaller; this is the plain, predictable figure.
 */
public final class SizeModel {
    private SizeModel() {
    }

    /** Bits of one compressed layer's weights. */
    public static long weightBits(CompressedLayer l) {
        int bits = l.effectiveBits();
        long n = l.layout().size();
        long body;
        if (l.keep() == null) {
            body = n * bits;
        } else {
            long groups = l.layout().groups(l.prune().granularity(), BlockShape.parse(l.prune().blockShape())).count();
            long kept = 0;
            for (boolean k : l.keep()) {
                if (k) {
                    kept++;
                }
            }
            body = Math.min(n * bits, groups + kept * bits);
        }
        long scales = 0;
        if (l.codebook() != null) {
            scales = 32L * l.codebook().centroids().length;
        } else if (l.quant().isInteger()) {
            int count = l.quant().perChannel() ? l.layout().filters() : 1;
            scales = count * (32L + (l.quant().symmetric() ? 0 : 8));
        }
        return body + scales;
    }

    /** Bytes for a bit count, rounded up. */
    public static long bytes(long bits) {
        return (bits + 7) / 8;
    }
}
