package io.lathe.export;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Packs a network's parameters into the {@code .lathe} format and restores them: every tensor of
 * {@link ParamLayout} order, weights with a {@link WeightCoding} compactly, the rest as fp32.
 */
public final class Packer {
    private Packer() {
    }

    /** The tensors of {@code target} with their codings, in layout order. */
    public static List<PackedTensor> tensors(ComputationGraph target, Map<String, WeightCoding> codings) {
        List<PackedTensor> out = new ArrayList<>();
        for (ParamLayout.Entry e : ParamLayout.of(target)) {
            float[] v = e.array().dup('c').data().asFloat();
            WeightCoding wc = "W".equals(e.key()) ? codings.get(e.vertex()) : null;
            out.add(new PackedTensor(e.vertex(), e.key(), e.array().shape().clone(), v, wc));
        }
        return out;
    }

    /** Packs {@code target} without a preprocessing record. */
    public static PackedFile.Written pack(ComputationGraph target, Map<String, WeightCoding> codings, boolean folded,
                                          String modelName, String modelSha256, String planSha256) {
        return pack(target, codings, folded, modelName, modelSha256, planSha256, null);
    }

    /** Packs {@code target}, recording the model's preprocessing ({@link PreprocessRecord#json()}, or null). */
    public static PackedFile.Written pack(ComputationGraph target, Map<String, WeightCoding> codings, boolean folded,
                                          String modelName, String modelSha256, String planSha256,
                                          String preprocess) {
        List<PackedTensor> tensors = tensors(target, codings);
        long values = tensors.stream().mapToLong(t -> t.values().length).sum();
        PackedHeader h = new PackedHeader(PackedFile.VERSION, folded, modelName, modelSha256, planSha256,
                ParamLayout.fingerprint(target), tensors.size(), values, preprocess);
        return PackedFile.write(h, tensors);
    }

    /**
     * Writes a read file's tensors into {@code architecture} (a network of the same layout: the original
     * architecture, or {@link BatchNormFolding#foldedArchitecture} when the file is folded).
     *
     * @throws PackedFormatException when the layouts differ
     */
    public static void restore(PackedFile.Read read, ComputationGraph architecture) throws PackedFormatException {
        String fp = ParamLayout.fingerprint(architecture);
        if (!fp.equals(read.header().archSha256())) {
            throw new PackedFormatException("this packed file was made for a different network layout ("
                    + (read.header().folded() ? "BatchNorm folded" : "BatchNorm kept") + ", model '"
                    + read.header().modelName() + "'); restore it into that model's "
                    + (read.header().folded() ? "folded " : "") + "architecture");
        }
        List<ParamLayout.Entry> entries = ParamLayout.of(architecture);
        if (entries.size() != read.tensors().size()) {
            throw new PackedFormatException("the packed file holds " + read.tensors().size() + " tensors but the "
                    + "network has " + entries.size());
        }
        for (int i = 0; i < entries.size(); i++) {
            ParamLayout.Entry e = entries.get(i);
            PackedTensor t = read.tensors().get(i);
            if (!Arrays.equals(e.array().shape(), t.shape())) {
                throw new PackedFormatException("tensor " + e.vertex() + "." + e.key() + " has shape "
                        + Arrays.toString(t.shape()) + " in the file but " + Arrays.toString(e.array().shape())
                        + " in the network");
            }
            e.array().assign(Nd4j.create(t.values(), t.shape(), 'c'));
        }
    }
}
