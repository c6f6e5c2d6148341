package io.lathe.data;

/** Applies a {@link Preprocessing} to images as read (pixels 0-255), once, giving the model's floats. */
final class Preprocessor {
    private Preprocessor() {
    }

    /**
     * {@code raw} preprocessed by {@code p}: scale, minus the pixel mean (when {@code p.pixelMean()};
     * {@code pixelMean} must then be given), minus mean / std per channel, channel order.
     *
     * @throws IllegalArgumentException when the per-channel statistics do not fit the image channels
     */
    static LabeledImages apply(RawImages raw, Preprocessing p, PixelMean pixelMean) {
        int c = raw.channels();
        int plane = raw.height() * raw.width();
        int n = raw.imageSize();
        float[] mean = perChannel(p.mean(), c, p, "mean", 0f);
        float[] std = perChannel(p.std(), c, p, "std", 1f);
        float scale = (float) p.scale();
        float[] sub = new float[n];
        if (p.pixelMean()) {
            if (pixelMean == null) {
                throw new IllegalStateException("preprocessing " + p.name() + " needs the training split's mean image");
            }
            if (pixelMean.channels() != c || pixelMean.height() != raw.height() || pixelMean.width() != raw.width()) {
                throw new IllegalArgumentException("the per-pixel mean image is " + pixelMean.channels() + "x"
                        + pixelMean.height() + "x" + pixelMean.width() + " but the images are " + c + "x"
                        + raw.height() + "x" + raw.width());
            }
            sub = pixelMean.scaled(p.scale());
        }
        float[] inv = new float[c];
        for (int ch = 0; ch < c; ch++) {
            inv[ch] = 1f / std[ch];
        }
        boolean swap = p.channels() == Preprocessing.ChannelOrder.BGR && c == 3;
        byte[] src = raw.pixels();
        float[] out = new float[src.length];
        for (int i = 0; i < raw.size(); i++) {
            int base = i * n;
            for (int ch = 0; ch < c; ch++) {
                int dstCh = swap ? 2 - ch : ch;
                int so = ch * plane;
                int dOff = base + dstCh * plane;
                float m = mean[ch];
                float k = inv[ch];
                for (int q = 0; q < plane; q++) {
                    float x = (src[base + so + q] & 0xff) * scale - sub[so + q];
                    out[dOff + q] = (x - m) * k;
                }
            }
        }
        return new LabeledImages(raw.name(), out, raw.labels(), c, raw.height(), raw.width(), raw.classes(),
                raw.classNames());
    }

    private static float[] perChannel(float[] v, int channels, Preprocessing p, String what, float fallback) {
        float[] out = new float[channels];
        if (v == null) {
            java.util.Arrays.fill(out, fallback);
            return out;
        }
        if (v.length == 1) {
            java.util.Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != channels) {
            throw new IllegalArgumentException("preprocessing " + p.name() + " gives " + v.length + " " + what
                    + " values but the images have " + channels + " channel" + (channels == 1 ? "" : "s")
                    + "; choose a preprocessing made for this data");
        }
        return v;
    }
}
