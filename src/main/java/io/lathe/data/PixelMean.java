package io.lathe.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Objects;

/**
 * The per-pixel mean image of a training split, in pixel units 0-255 (the {@code pixel-mean}
 * preprocessing subtracts it after scaling: {@code scale * values}). It travels with the
 * preprocessing wherever a model is exported, since the model cannot be used without it.
 *
 * @param dataFingerprint SHA-256 of the training split it was computed from
 * @param channels        channels
 * @param height          height
 * @param width           width
 * @param values          {@code channels * height * width} means, NCHW order, pixel units 0-255
 */
public record PixelMean(String dataFingerprint, int channels, int height, int width, float[] values) {
    private static final int MAGIC = 0x4c504d31; // "LPM1"

    public PixelMean {
        Objects.requireNonNull(dataFingerprint);
        if (values.length != channels * height * width) {
            throw new IllegalArgumentException(values.length + " mean values for " + channels + "x" + height + "x"
                    + width);
        }
        values = values.clone();
    }

    /** The mean image of {@code train}, computed once. */
    static PixelMean of(RawImages train) {
        return of(train, train.fingerprint());
    }

    static PixelMean of(RawImages train, String fingerprint) {
        int n = train.imageSize();
        long[] sums = new long[n];
        byte[] px = train.pixels();
        for (int i = 0; i < train.size(); i++) {
            int base = i * n;
            for (int k = 0; k < n; k++) {
                sums[k] += px[base + k] & 0xff;
            }
        }
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) ((double) sums[k] / Math.max(1, train.size()));
        }
        return new PixelMean(fingerprint, train.channels(), train.height(), train.width(), v);
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** The mean image multiplied by {@code scale} (what is subtracted from scaled pixels). */
    public float[] scaled(double scale) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (values[i] * scale);
        }
        return out;
    }

    /**
     * The exported record: {@code {"data": sha256, "shape": [c, h, w], "scale": s, "float32le": base64}},
     * the values being the scaled mean that is subtracted.
     */
    public ObjectNode toNode(double scale) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("data", dataFingerprint);
        o.putArray("shape").add(channels).add(height).add(width);
        o.put("scale", scale);
        float[] s = scaled(scale);
        ByteBuffer b = ByteBuffer.allocate(4 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(s);
        o.put("float32le", Base64.getEncoder().encodeToString(b.array()));
        return o;
    }

    /** The JSON of {@link #toNode(double)}. */
    public String toJson(double scale) {
        return toNode(scale).toString();
    }

    /** Writes this mean to {@code file} (atomically: a temporary file moved into place). */
    void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeUTF(dataFingerprint);
            out.writeInt(channels);
            out.writeInt(height);
            out.writeInt(width);
            for (float v : values) {
                out.writeFloat(v);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Reads a mean written by {@link #save}; null when the file is missing or not one. */
    static PixelMean read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            String fp = in.readUTF();
            int c = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            if (c <= 0 || h <= 0 || w <= 0 || (long) c * h * w > 1 << 26) {
                return null;
            }
            float[] v = new float[c * h * w];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            return new PixelMean(fp, c, h, w, v);
        } catch (java.io.EOFException e) {
            return null;
        }
    }

    /** The mean of {@code train}, from the cache folder when computed before, else computed and stored. */
    static PixelMean cached(RawImages train, Path cacheDir) throws IOException {
        String fp = train.fingerprint();
        Path file = cacheDir == null ? null : cacheDir.resolve("pixel-mean").resolve(fp + ".bin");
        PixelMean pm = file == null ? null : read(file);
        if (pm != null && pm.dataFingerprint.equals(fp) && pm.channels == train.channels()
                && pm.height == train.height() && pm.width == train.width()) {
            return pm;
        }
        pm = of(train, fp);
        if (file != null) {
            pm.save(file);
        }
        return pm;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelMean p && dataFingerprint.equals(p.dataFingerprint) && channels == p.channels
                && height == p.height && width == p.width && java.util.Arrays.equals(values, p.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dataFingerprint, channels, height, width, java.util.Arrays.hashCode(values));
    }
}
