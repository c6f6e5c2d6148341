package io.lathe.compress;

/**
 * How a layer's weight tensor maps onto output channels ("filters"). Lathe works on weights in
 * filters-major order: {@code f[o * perFilter + j]}. Convolutions ({@code [nOut, nIn, kH, kW]} in
 * DL4J) are already in that order; dense weights ({@code [nIn, nOut]}) are transposed.
 *
 * @param conv       true for convolutions, false for dense layers
 * @param filters    output channels
 * @param inChannels input channels (features for dense)
 * @param kernelArea kH·kW (1 for dense)
 */
public record WeightLayout(boolean conv, int filters, int inChannels, int kernelArea) {
    /** Weights per output channel. */
    public int perFilter() {
        return inChannels * kernelArea;
    }

    /** Total weights. */
    public int size() {
        return filters * perFilter();
    }

    /** Layout of a DL4J weight array shape. */
    public static WeightLayout of(long[] shape) {
        if (shape.length == 4) {
            return new WeightLayout(true, (int) shape[0], (int) shape[1], (int) (shape[2] * shape[3]));
        }
        if (shape.length == 2) {
            return new WeightLayout(false, (int) shape[1], (int) shape[0], 1);
        }
        throw new IllegalArgumentException("unsupported weight rank " + shape.length);
    }

    /** Converts DL4J order to filters-major order. */
    public float[] toFilters(float[] dl4j) {
        if (conv) {
            return dl4j.clone();
        }
        float[] f = new float[dl4j.length];
        for (int i = 0; i < inChannels; i++) {
            for (int o = 0; o < filters; o++) {
                f[o * inChannels + i] = dl4j[i * filters + o];
            }
        }
        return f;
    }

    /** Converts filters-major order back to DL4J order. */
    public float[] toDl4j(float[] f) {
        if (conv) {
            return f.clone();
        }
        float[] d = new float[f.length];
        for (int i = 0; i < inChannels; i++) {
            for (int o = 0; o < filters; o++) {
                d[i * filters + o] = f[o * inChannels + i];
            }
        }
        return d;
    }

    /**
     * The pruning group of every weight for a granularity: the weight itself, its block, or its filter.
     * Blocks tile each filter viewed as inChannels × kernelArea for convolutions, and the
     * filters × inputs matrix for dense layers; edge blocks may be smaller.
     */
    public Groups groups(Granularity g, BlockShape block) {
        int n = size();
        int[] groupOf = new int[n];
        switch (g) {
            case ELEMENT -> {
                for (int i = 0; i < n; i++) {
                    groupOf[i] = i;
                }
                return new Groups(groupOf, n);
            }
            case CHANNEL -> {
                int per = perFilter();
                for (int i = 0; i < n; i++) {
                    groupOf[i] = i / per;
                }
                return new Groups(groupOf, filters);
            }
            default -> {
                int rows;
                int cols;
                int bands;
                if (conv) {
                    rows = inChannels;
                    cols = kernelArea;
                    bands = filters;
                } else {
                    rows = filters;
                    cols = inChannels;
                    bands = 1;
                }
                int br = (rows + block.rows() - 1) / block.rows();
                int bc = (cols + block.cols() - 1) / block.cols();
                int perBand = br * bc;
                for (int band = 0; band < bands; band++) {
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            int idx = band * rows * cols + r * cols + c;
                            groupOf[idx] = band * perBand + (r / block.rows()) * bc + (c / block.cols());
                        }
                    }
                }
                return new Groups(groupOf, bands * perBand);
            }
        }
    }

    /** Group index of every weight and the number of groups. */
    public record Groups(int[] groupOf, int count) {
        /** Weights per group. */
        public int[] sizes() {
            int[] s = new int[count];
            for (int g : groupOf) {
                s[g]++;
            }
            return s;
        }
    }
}
