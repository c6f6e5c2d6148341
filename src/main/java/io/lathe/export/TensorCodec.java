package io.lathe.export;

import io.lathe.compress.BlockShape;
import io.lathe.compress.Granularity;
import io.lathe.compress.QuantSetting;
import io.lathe.compress.Quantizer;
import io.lathe.compress.WeightLayout;

import java.util.HashMap;
import java.util.Map;

/**
 * The modelling of one packed file's tensors, written once for both directions through {@link BitCoder}:
 * shape, storage kind, keep mask at the pruning granularity (with neighbourhood contexts), integer codes
 * (magnitude and sign), FP16 halves or fp32 bits. One instance per file: models adapt across tensors
 * of the same kind. Not thread-safe.
 */
final class TensorCodec {
    /** How a tensor is stored. */
    enum Kind { RAW, FLOAT, HALF, QUANT, SHARED }

    private static final int MASK_CONTEXTS = 9 * 4 * 3;
    private final Map<String, FloatModel> floats = new HashMap<>();
    private final short[] shapeModel = RangeEncoder.models(64);
    private final short[] roleModel = RangeEncoder.models(8);
    private static final java.util.List<String> ROLES =
            java.util.List.of("W", "b", "gamma", "beta", "mean", "var", "log10stdev", "other");

    /** Values of one tensor while coding; on the decoding side the arrays are filled in. */
    static final class Tensor {
        long[] shape;
        float[] values;
        Kind kind;
        WeightCoding coding;
        String role;

        Tensor(String role) {
            this.role = role;
        }
    }

    private FloatModel floatModel(String role) {
        return floats.computeIfAbsent(role, r -> new FloatModel());
    }

    /** Codes (or decodes) one tensor: on decoding, {@code t.shape}, {@code t.values} and {@code t.kind} are set. */
    void code(BitCoder c, Tensor t) throws PackedFormatException {
        int role = t.role == null || !ROLES.contains(t.role) ? ROLES.size() - 1 : ROLES.indexOf(t.role);
        t.role = ROLES.get(c.tree(roleModel, 0, 3, role));
        codeShape(c, t);
        int kind = (int) c.direct(t.kind == null ? 0 : t.kind.ordinal(), 3);
        if (kind >= Kind.values().length) {
            throw new PackedFormatException("unknown tensor storage kind " + kind + " (corrupt file?)");
        }
        t.kind = Kind.values()[kind];
        int n = Math.toIntExact(count(t.shape));
        if (c.decoding()) {
            t.values = new float[n];
        }
        if (t.kind == Kind.RAW) {
            FloatModel m = floatModel(t.role);
            for (int i = 0; i < n; i++) {
                t.values[i] = Float.intBitsToFloat(m.code(c, Float.floatToRawIntBits(t.values[i])));
            }
            return;
        }
        WeightLayout layout = WeightLayout.of(t.shape);
        WeightCoding wc = t.coding;
        int g = (int) c.direct(wc == null || wc.keep() == null ? 0 : wc.granularity().ordinal() + 1, 2);
        Granularity gran = g == 0 ? null : Granularity.values()[g - 1];
        String block = "1x1";
        if (gran == Granularity.BLOCK) {
            BlockShape b = c.decoding() ? null : BlockShape.parse(wc.blockShape());
            int r = (int) c.direct(b == null ? 0 : b.rows() - 1, 4) + 1;
            int col = (int) c.direct(b == null ? 0 : b.cols() - 1, 4) + 1;
            block = r + "x" + col;
        }
        boolean[] keep = gran == null ? null : codeMask(c, layout, gran, block, c.decoding() ? null : wc.keep());
        float[] f = c.decoding() ? new float[n] : layout.toFilters(t.values);
        switch (t.kind) {
            case FLOAT -> codeFloats(c, f, keep, floatModel(t.role + ".kept"));
            case HALF -> codeHalves(c, f, keep);
            case QUANT -> t.coding = codeQuant(c, f, keep, layout, wc, gran, block);
            case SHARED -> t.coding = codeShared(c, f, keep, layout, wc, gran, block);
            default -> throw new IllegalStateException(t.kind.name());
        }
        if (c.decoding()) {
            t.values = layout.toDl4j(f);
            if (t.coding == null) {
                t.coding = new WeightCoding(keep, gran, block, QuantSetting.NONE, new float[0], new int[0]);
            }
        }
    }

    private void codeShape(BitCoder c, Tensor t) throws PackedFormatException {
        int rank = c.tree(shapeModel, 0, 3, t.shape == null ? 0 : t.shape.length);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            long d = t.shape == null ? 0 : t.shape[i];
            int bits = c.tree(shapeModel, 8, 5, d == 0 ? 0 : 64 - Long.numberOfLeadingZeros(d));
            shape[i] = bits == 0 ? 0 : c.direct(d, bits);
        }
        t.shape = shape;
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Codes the keep mask one group at a time; returns the per-weight mask (filters-major). */
    private static boolean[] codeMask(BitCoder c, WeightLayout layout, Granularity gran, String block, boolean[] keep)
            throws PackedFormatException {
        WeightLayout.Groups groups = layout.groups(gran, BlockShape.parse(block));
        int[] groupOf = groups.groupOf();
        int n = groupOf.length;
        boolean[] out = new boolean[n];
        if (gran == Granularity.ELEMENT) {
            short[] m = RangeEncoder.models(MASK_CONTEXTS);
            int per = layout.perFilter();
            int ka = layout.kernelArea();
            for (int i = 0; i < n; i++) {
                int o = i / per;
                int within = i % per;
                int k = within % ka;
                int a;
                if (ka > 1) {
                    int kept = 0;
                    for (int j = i - k; j < i; j++) {
                        kept += out[j] ? 1 : 0;
                    }
                    a = Math.min(3, kept);
                } else {
                    a = within == 0 ? 2 : (out[i - 1] ? 1 : 0);
                }
                int pf = o == 0 ? 2 : (out[i - per] ? 1 : 0);
                int ctx = (Math.min(k, 8) * 4 + a) * 3 + pf;
                out[i] = c.bit(m, ctx, keep == null ? 0 : (keep[i] ? 1 : 0)) == 1;
            }
            return out;
        }
        boolean[] groupKeep = new boolean[groups.count()];
        if (keep != null) {
            for (int i = 0; i < n; i++) {
                groupKeep[groupOf[i]] = keep[i];
            }
        }
        short[] m = RangeEncoder.models(2);
        int prev = 1;
        for (int gi = 0; gi < groupKeep.length; gi++) {
            groupKeep[gi] = c.bit(m, prev, groupKeep[gi] ? 1 : 0) == 1;
            prev = groupKeep[gi] ? 1 : 0;
        }
        for (int i = 0; i < n; i++) {
            out[i] = groupKeep[groupOf[i]];
        }
        return out;
    }

    private static void codeFloats(BitCoder c, float[] f, boolean[] keep, FloatModel m) throws PackedFormatException {
        for (int i = 0; i < f.length; i++) {
            if (keep == null || keep[i]) {
                f[i] = Float.intBitsToFloat(m.code(c, Float.floatToRawIntBits(f[i])));
            } else {
                f[i] = 0f;
            }
        }
    }

    private static void codeHalves(BitCoder c, float[] f, boolean[] keep) throws PackedFormatException {
        short[] m = RangeEncoder.models(2 * 256);
        for (int i = 0; i < f.length; i++) {
            if (keep == null || keep[i]) {
                int h = Quantizer.Half.fromFloat(f[i]) & 0xFFFF;
                int hi = c.tree(m, 0, 8, h >>> 8);
                int lo = c.tree(m, 256, 8, h & 0xFF);
                f[i] = Quantizer.Half.toFloat((short) ((hi << 8) | lo));
            } else {
                f[i] = 0f;
            }
        }
    }

    private WeightCoding codeQuant(BitCoder c, float[] f, boolean[] keep, WeightLayout layout, WeightCoding wc,
                                   Granularity gran, String block) throws PackedFormatException {
        QuantSetting q = wc == null ? null : wc.quant();
        int bits = (int) c.direct(q == null ? 0 : q.bits(), 4);
        boolean perChannel = c.direct(q != null && q.perChannel() ? 1 : 0, 1) == 1;
        boolean symmetric = c.direct(q != null && q.symmetric() ? 1 : 0, 1) == 1;
        int nScales = perChannel ? layout.filters() : 1;
        float[] scales = c.decoding() ? new float[nScales] : wc.scales();
        int[] zps = c.decoding() ? new int[nScales] : wc.zeroPoints();
        FloatModel sm = floatModel("scale");
        short[] zm = RangeEncoder.models(256);
        for (int s = 0; s < nScales; s++) {
            scales[s] = Float.intBitsToFloat(sm.code(c, Float.floatToRawIntBits(scales[s])));
            zps[s] = symmetric ? 0 : c.tree(zm, 0, 8, zps[s]);
        }
        int per = f.length / nScales;
        int magBits = bits - 1;
        int treeSize = 1 << bits;
        short[] mag = RangeEncoder.models(treeSize);
        short[] sign = RangeEncoder.models(1);
        for (int i = 0; i < f.length; i++) {
            if (keep != null && !keep[i]) {
                f[i] = 0f;
                continue;
            }
            int ch = i / per;
            int code = c.decoding() ? 0 : Quantizer.code(f[i], new Quantizer.Scale(scales[ch], zps[ch]));
            if (symmetric) {
                int m = c.tree(mag, 0, magBits, Math.abs(code));
                int neg = m == 0 ? 0 : c.bit(sign, 0, code < 0 ? 1 : 0);
                code = neg == 1 ? -m : m;
            } else {
                code = c.tree(mag, 0, bits, code);
            }
            f[i] = (code - zps[ch]) * scales[ch];
        }
        return new WeightCoding(keep, gran, block, new QuantSetting(bits, perChannel, symmetric), scales, zps);
    }

    /**
     * Weight sharing symbols of a tensor's kept values (filters-major): 0 for an exact zero, k + 1 for
     * centroid k; null when some kept value is neither (then the tensor is not stored as shared).
     */
    static int[] sharedSymbols(float[] f, boolean[] keep, WeightCoding wc, int perFilter) {
        int[] out = new int[f.length];
        float[] centroids = wc.centroids();
        for (int i = 0; i < f.length; i++) {
            if (keep != null && !keep[i]) {
                continue;
            }
            int bits = Float.floatToRawIntBits(f[i]);
            int sym = -1;
            if (bits == 0) {
                sym = 0;
            } else {
                for (int k = 0; k < centroids.length && sym < 0; k++) {
                    if (Float.floatToRawIntBits(wc.sharedValue(k, i / perFilter)) == bits) {
                        sym = k + 1;
                    }
                }
            }
            if (sym < 0) {
                return null;
            }
            out[i] = sym;
        }
        return out;
    }

    /** Codebook (and folding factors), then one adaptive-coded index per kept weight. */
    private WeightCoding codeShared(BitCoder c, float[] f, boolean[] keep, WeightLayout layout, WeightCoding wc,
                                    Granularity gran, String block) throws PackedFormatException {
        int n = (int) c.direct(wc == null ? 0 : wc.centroids().length, 9);
        float[] centroids = c.decoding() ? new float[n] : wc.centroids();
        FloatModel cm = floatModel("centroid");
        for (int k = 0; k < n; k++) {
            centroids[k] = Float.intBitsToFloat(cm.code(c, Float.floatToRawIntBits(centroids[k])));
        }
        boolean hasFactors = c.direct(wc != null && wc.centroidFactors() != null ? 1 : 0, 1) == 1;
        float[] factors = null;
        if (hasFactors) {
            factors = c.decoding() ? new float[layout.filters()] : wc.centroidFactors();
            FloatModel sm = floatModel("scale");
            for (int o = 0; o < factors.length; o++) {
                factors[o] = Float.intBitsToFloat(sm.code(c, Float.floatToRawIntBits(factors[o])));
            }
        }
        WeightCoding out = new WeightCoding(keep, gran, block, QuantSetting.NONE, new float[0], new int[0], centroids,
                factors);
        int per = layout.perFilter();
        int[] symbols = c.decoding() ? null : sharedSymbols(f, keep, wc, per);
        int width = 32 - Integer.numberOfLeadingZeros(n);
        short[] m = RangeEncoder.models(1 << width);
        for (int i = 0; i < f.length; i++) {
            if (keep != null && !keep[i]) {
                f[i] = 0f;
                continue;
            }
            int sym = c.tree(m, 0, width, symbols == null ? 0 : symbols[i]);
            if (sym > n) {
                throw new PackedFormatException("shared weight index " + (sym - 1) + " outside a codebook of " + n
                        + " values (corrupt file?)");
            }
            f[i] = sym == 0 ? 0f : out.sharedValue(sym - 1, i / per);
        }
        return out;
    }
}
