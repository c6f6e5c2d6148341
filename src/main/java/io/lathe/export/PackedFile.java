package io.lathe.export;

import io.lathe.compress.Quantizer;
import io.lathe.compress.WeightLayout;
import io.lathe.data.Fingerprints;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packed {@code .lathe} format: a small plain header (magic, version, flags, model / plan /
 * layout fingerprints, counts, model name, and since version 3 the model's preprocessing as JSON), then
 * every parameter tensor range-coded by
 * {@link TensorCodec} (keep mask at the pruning granularity, integer codes, scales, other parameters
 * as fp32), then a SHA-256 of everything before it. The reader checks the checksum before decoding,
 * so a truncated or altered file is refused with a plain message.
 */
public final class PackedFile {
    /** First eight bytes of every packed file. */
    public static final byte[] MAGIC = "LATHEPK\0".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 3;
    /** The oldest version still read (it has no preprocessing record). */
    public static final int OLDEST_READ = 2;
    private static final int HASH = 32;

    private PackedFile() {
    }

    /**
     * A written file.
     *
     * @param bytes           the file's bytes
     * @param bytesPerVertex  coded bytes attributed to each layer (approximate by a few bytes)
     * @param rawFallbacks    weight tensors stored as plain fp32 because their codes did not reproduce
     *                        the values bit for bit (normally 0)
     */
    public record Written(byte[] bytes, Map<String, Long> bytesPerVertex, int rawFallbacks) {
    }

    /** A read file: header and tensors (values restored bit for bit). */
    public record Read(PackedHeader header, List<PackedTensor> tensors) {
    }

    /** Encodes tensors; weights with a {@link WeightCoding} are stored compactly when that is exact. */
    public static Written write(PackedHeader header, List<PackedTensor> tensors) {
        RangeEncoder enc = new RangeEncoder();
        BitCoder c = BitCoder.of(enc);
        TensorCodec codec = new TensorCodec();
        Map<String, Long> perVertex = new LinkedHashMap<>();
        int fallbacks = 0;
        long values = 0;
        try {
            for (PackedTensor p : tensors) {
                long before = enc.bytesSoFar();
                TensorCodec.Tensor t = new TensorCodec.Tensor(p.key());
                t.shape = p.shape();
                t.values = p.values();
                t.coding = p.coding();
                t.kind = kindFor(p);
                if (p.coding() != null && (p.coding().keep() != null || !p.coding().quant().isNone()
                        || p.coding().centroids() != null) && t.kind == TensorCodec.Kind.RAW) {
                    fallbacks++;
                }
                codec.code(c, t);
                values += p.values().length;
                perVertex.merge(p.vertex(), enc.bytesSoFar() - before, Long::sum);
            }
        } catch (PackedFormatException e) {
            throw new IllegalStateException("encoding cannot fail", e);
        }
        byte[] body = enc.finish();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.write(MAGIC);
            out.writeShort(VERSION);
            out.writeByte(header.folded() ? 1 : 0);
            out.writeByte(0);
            out.write(hash(header.modelSha256()));
            out.write(hash(header.planSha256()));
            out.write(hash(header.archSha256()));
            out.writeInt(tensors.size());
            out.writeLong(values);
            byte[] name = (header.modelName() == null ? "" : header.modelName()).getBytes(StandardCharsets.UTF_8);
            out.writeShort(Math.min(name.length, 255));
            out.write(name, 0, Math.min(name.length, 255));
            byte[] prep = (header.preprocess() == null ? "" : header.preprocess()).getBytes(StandardCharsets.UTF_8);
            out.writeInt(prep.length);
            out.write(prep);
            out.writeInt(body.length);
            out.write(body);
            out.flush();
            byte[] sum = Fingerprints.sha256().digest(buf.toByteArray());
            out.write(sum);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Written(buf.toByteArray(), perVertex, fallbacks);
    }

    /** The most compact storage that reproduces a tensor's values bit for bit. */
    static TensorCodec.Kind kindFor(PackedTensor p) {
        WeightCoding wc = p.coding();
        if (wc == null || p.shape().length < 2) {
            return TensorCodec.Kind.RAW;
        }
        WeightLayout layout = WeightLayout.of(p.shape());
        float[] f = layout.toFilters(p.values());
        if (wc.keep() != null && (wc.keep().length != f.length || !prunedAreZero(f, wc.keep()))) {
            return TensorCodec.Kind.RAW;
        }
        if (wc.centroids() != null && wc.centroids().length <= 256
                && TensorCodec.sharedSymbols(f, wc.keep(), wc, layout.perFilter()) != null) {
            return TensorCodec.Kind.SHARED;
        }
        if (wc.quant().isInteger() && quantExact(f, wc)) {
            return TensorCodec.Kind.QUANT;
        }
        if (wc.quant().bits() == 16 && halfExact(f, wc.keep())) {
            return TensorCodec.Kind.HALF;
        }
        return wc.keep() == null ? TensorCodec.Kind.RAW : TensorCodec.Kind.FLOAT;
    }

    private static boolean prunedAreZero(float[] f, boolean[] keep) {
        for (int i = 0; i < f.length; i++) {
            if (!keep[i] && Float.floatToRawIntBits(f[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean quantExact(float[] f, WeightCoding wc) {
        int n = wc.scales().length;
        if (n == 0 || f.length % n != 0) {
            return false;
        }
        int per = f.length / n;
        int bits = wc.quant().bits();
        int lo = wc.quant().symmetric() ? -((1 << (bits - 1)) - 1) : 0;
        int hi = wc.quant().symmetric() ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
        for (int i = 0; i < f.length; i++) {
            if (wc.keep() != null && !wc.keep()[i]) {
                continue;
            }
            int ch = i / per;
            int zp = wc.zeroPoints()[ch];
            if (!wc.quant().symmetric() && (zp < 0 || zp > 255)) {
                return false;
            }
            int code = Quantizer.code(f[i], new Quantizer.Scale(wc.scales()[ch], zp));
            if (code < lo || code > hi
                    || Float.floatToRawIntBits((code - zp) * wc.scales()[ch]) != Float.floatToRawIntBits(f[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean halfExact(float[] f, boolean[] keep) {
        for (int i = 0; i < f.length; i++) {
            if ((keep == null || keep[i]) && Float.floatToRawIntBits(Quantizer.Half.toFloat(Quantizer.Half.fromFloat(f[i])))
                    != Float.floatToRawIntBits(f[i])) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hash(String hex) {
        if (hex == null || hex.length() != 2 * HASH) {
            return new byte[HASH];
        }
        return HexFormat.of().parseHex(hex);
    }

    /** Reads a packed file: checks magic, version, length and checksum, then decodes every tensor. */
    public static Read read(byte[] bytes) throws PackedFormatException {
        int minimum = MAGIC.length + 4 + 3 * HASH + 4 + 8 + 2 + 4 + HASH;
        if (bytes.length < MAGIC.length || !java.util.Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new PackedFormatException("not a Lathe packed model (the file does not start with the .lathe "
                    + "signature); choose a .lathe file written by Lathe's export");
        }
        if (bytes.length < minimum) {
            throw new PackedFormatException("the packed file is truncated (" + bytes.length
                    + " bytes, shorter than its header); export it again");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(MAGIC.length);
        int version = in.getShort() & 0xFFFF;
        if (version < OLDEST_READ || version > VERSION) {
            throw new PackedFormatException("packed format version " + version + " is not supported; this Lathe "
                    + "reads versions " + OLDEST_READ + " to " + VERSION);
        }
        boolean folded = (in.get() & 1) != 0;
        in.get();
        String model = hex(in);
        String plan = hex(in);
        String arch = hex(in);
        int tensors = in.getInt();
        long values = in.getLong();
        int nameLen = in.getShort() & 0xFFFF;
        if (in.remaining() < nameLen + 4) {
            throw truncated(bytes.length);
        }
        byte[] name = new byte[nameLen];
        in.get(name);
        String preprocess = null;
        if (version >= 3) {
            int prepLen = in.getInt();
            if (prepLen < 0 || in.remaining() < prepLen + 4) {
                throw truncated(bytes.length);
            }
            byte[] prep = new byte[prepLen];
            in.get(prep);
            preprocess = prepLen == 0 ? null : new String(prep, StandardCharsets.UTF_8);
        }
        int bodyLen = in.getInt();
        int bodyStart = in.position();
        if (bodyLen < 0 || (long) bodyStart + bodyLen + HASH != bytes.length) {
            if (bodyLen >= 0 && (long) bodyStart + bodyLen + HASH > bytes.length) {
                throw truncated(bytes.length);
            }
            throw new PackedFormatException("the packed file's length does not match its header (" + bytes.length
                    + " bytes): it was altered or damaged; export it again");
        }
        MessageDigest md = Fingerprints.sha256();
        md.update(bytes, 0, bodyStart + bodyLen);
        if (!MessageDigest.isEqual(md.digest(), java.util.Arrays.copyOfRange(bytes, bodyStart + bodyLen, bytes.length))) {
            throw new PackedFormatException("checksum mismatch: the packed file was altered or damaged "
                    + "(SHA-256 of its contents does not match the one stored); export it again");
        }
        PackedHeader header = new PackedHeader(version, folded, new String(name, StandardCharsets.UTF_8), model, plan,
                arch, tensors, values, preprocess);
        List<PackedTensor> out = new ArrayList<>(tensors);
        try {
            BitCoder c = BitCoder.of(new RangeDecoder(bytes, bodyStart, bodyLen));
            TensorCodec codec = new TensorCodec();
            for (int i = 0; i < tensors; i++) {
                TensorCodec.Tensor t = new TensorCodec.Tensor(null);
                codec.code(c, t);
                out.add(new PackedTensor(null, t.role, t.shape, t.values, t.kind == TensorCodec.Kind.RAW ? null : t.coding));
            }
        } catch (RuntimeException e) {
            throw new PackedFormatException("the packed data could not be decoded (" + e.getMessage() + ")");
        }
        return new Read(header, out);
    }

    private static PackedFormatException truncated(int length) {
        return new PackedFormatException("the packed file is truncated (" + length + " bytes, shorter than its "
                + "header says); export it again");
    }

    private static String hex(ByteBuffer in) {
        byte[] h = new byte[HASH];
        in.get(h);
        return HexFormat.of().formatHex(h);
    }
}
