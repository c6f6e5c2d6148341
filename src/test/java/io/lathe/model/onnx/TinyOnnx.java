package io.lathe.model.onnx;

import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes small ONNX classifiers with the {@code onnx.Onnx} builders, the way PyTorch exports them
 * (weights named "stem.conv.weight", BN with running statistics), for import tests.
 */
final class TinyOnnx {
    static final int[] CHW = {3, 8, 8};
    static final int CLASSES = 5;

    /** Which head turns the pooled features into logits. */
    enum Head { GEMM, GEMM_SCALED, MATMUL_ADD, RESHAPE_SHAPE, RESHAPE_CONST, FLATTEN_MAP, REDUCE_MEAN }

    /**
     * A variant of the tiny residual net: stem conv(3→4)+BN+ReLU, one residual block with a 1×1
     * stride-2 projection (4→8), global average pooling and a classifier.
     */
    record Variant(String label, int opset, boolean foldedBn, Head head, boolean padOp, boolean maxPoolStem,
                   boolean avgPoolStem, boolean asymmetricPads, boolean external, boolean symbolicBatch,
                   boolean initsAsInputs, boolean biasAndBn) {
        static Variant of(String label, int opset) {
            return new Variant(label, opset, false, Head.GEMM, false, false, false, false, false, true, false, false);
        }

        Variant withFolded() {
            return new Variant(label, opset, true, head, padOp, maxPoolStem, avgPoolStem, asymmetricPads, external, symbolicBatch, initsAsInputs, biasAndBn);
        }

        Variant withHead(Head h) {
            return new Variant(label, opset, foldedBn, h, padOp, maxPoolStem, avgPoolStem, asymmetricPads, external, symbolicBatch, initsAsInputs, biasAndBn);
        }

        Variant withPadOp() {
            return new Variant(label, opset, foldedBn, head, true, maxPoolStem, avgPoolStem, asymmetricPads, external, symbolicBatch, initsAsInputs, biasAndBn);
        }

        Variant withMaxPoolStem() {
            return new Variant(label, opset, foldedBn, head, padOp, true, avgPoolStem, asymmetricPads, external, symbolicBatch, initsAsInputs, biasAndBn);
        }

        Variant withAvgPoolStem() {
            return new Variant(label, opset, foldedBn, head, padOp, maxPoolStem, true, asymmetricPads, external, symbolicBatch, initsAsInputs, biasAndBn);
        }

        Variant withAsymmetricPads() {
            return new Variant(label, opset, foldedBn, head, padOp, maxPoolStem, avgPoolStem, true, external, symbolicBatch, initsAsInputs, biasAndBn);
        }

        Variant withExternal() {
            return new Variant(label, opset, foldedBn, head, padOp, maxPoolStem, avgPoolStem, asymmetricPads, true, symbolicBatch, initsAsInputs, biasAndBn);
        }

        Variant withBatchOne() {
            return new Variant(label, opset, foldedBn, head, padOp, maxPoolStem, avgPoolStem, asymmetricPads, external, false, initsAsInputs, biasAndBn);
        }

        Variant withInitsAsInputs() {
            return new Variant(label, opset, foldedBn, head, padOp, maxPoolStem, avgPoolStem, asymmetricPads, external, symbolicBatch, true, biasAndBn);
        }

        Variant withBiasAndBn() {
            return new Variant(label, opset, foldedBn, head, padOp, maxPoolStem, avgPoolStem, asymmetricPads, external, symbolicBatch, initsAsInputs, true);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final List<Onnx.NodeProto> nodes = new ArrayList<>();
    private final List<Onnx.TensorProto> inits = new ArrayList<>();
    private final Random rnd;
    private final int opset;
    private int counter;

    TinyOnnx(int opset, long seed) {
        this.opset = opset;
        this.rnd = new Random(seed);
    }

    /** Writes the variant to {@code dir/name.onnx} (external weights to {@code dir/name.weights}). */
    static Path write(Variant v, Path dir, long seed) throws IOException {
        TinyOnnx b = new TinyOnnx(v.opset(), seed);
        String x = "input";
        if (v.padOp()) {
            x = b.pad(x, 1, 1, 1, 1);
        }
        long[] stemPads = v.asymmetricPads() ? new long[]{1, 0, 1, 2} : v.padOp() ? new long[4] : new long[]{1, 1, 1, 1};
        x = b.convBn(x, "stem.conv", "stem.bn", 3, 4, 3, 1, stemPads, v.foldedBn(), v.foldedBn() || v.biasAndBn());
        if (v.maxPoolStem()) {
            x = b.pool("MaxPool", x, 3, 1, 1, 0);
        }
        if (v.avgPoolStem()) {
            x = b.pool("AveragePool", x, 3, 1, 1, 0);
        }
        x = b.relu(x);
        long[] p1 = v.asymmetricPads() ? new long[]{0, 0, 1, 1} : new long[]{1, 1, 1, 1};
        String y = b.convBn(x, "layer1.0.conv1", "layer1.0.bn1", 4, 8, 3, 2, p1, v.foldedBn());
        y = b.relu(y);
        y = b.convBn(y, "layer1.0.conv2", "layer1.0.bn2", 8, 8, 3, 1, new long[]{1, 1, 1, 1}, v.foldedBn(),
                v.foldedBn() || v.biasAndBn());
        String s = b.convBn(x, "layer1.0.downsample.0", "layer1.0.downsample.1", 4, 8, 1, 2, new long[4], v.foldedBn());
        x = b.relu(b.node("Add", List.of(y, s)));
        if (v.head() == Head.REDUCE_MEAN) {
            x = v.opset() >= 18 ? b.node("ReduceMean", List.of(x, b.longs("mean.axes", new long[]{2, 3}, 2)), integer("keepdims", 0))
                    : b.node("ReduceMean", List.of(x), ints("axes", -2, -1), integer("keepdims", 0));
        } else if (v.head() != Head.FLATTEN_MAP) {
            x = b.node("GlobalAveragePool", List.of(x));
            x = b.dropout(x);
        }
        if (v.opset() >= 17) {
            x = b.node("Identity", List.of(x));
        }
        String out = b.head(x, v.head());
        return b.save(v, dir, out);
    }

    String convBn(String x, String conv, String bn, int in, int out, int k, int stride, long[] pads, boolean folded) {
        return convBn(x, conv, bn, in, out, k, stride, pads, folded, folded);
    }

    String convBn(String x, String conv, String bn, int in, int out, int k, int stride, long[] pads, boolean folded,
                  boolean bias) {
        List<String> ins = new ArrayList<>(List.of(x, floats(conv + ".weight", gauss(out * in * k * k, Math.sqrt(2.0 / (in * k * k))), out, in, k, k)));
        if (bias) {
            ins.add(floats(conv + ".bias", gauss(out, 0.3), out));
        }
        String y = node("Conv", ins, ints("kernel_shape", k, k), ints("strides", stride, stride), ints("pads", pads),
                ints("dilations", 1, 1), integer("group", 1));
        if (folded) {
            return y;
        }
        return batchNorm(y, bn, out);
    }

    String batchNorm(String x, String bn, int c) {
        float[] gamma = new float[c];
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            gamma[i] = 0.5f + rnd.nextFloat();
            var[i] = 0.2f + 2 * rnd.nextFloat();
        }
        List<String> ins = List.of(x, floats(bn + ".weight", gamma, c), floats(bn + ".bias", gauss(c, 0.3), c),
                floats(bn + ".running_mean", gauss(c, 0.3), c), floats(bn + ".running_var", var, c));
        return opset >= 15 ? node("BatchNormalization", ins, real("epsilon", 1e-3f), real("momentum", 0.9f),
                integer("training_mode", 0))
                : node("BatchNormalization", ins, real("epsilon", 1e-5f), real("momentum", 0.9f));
    }

    String relu(String x) {
        return node("Relu", List.of(x));
    }

    String pool(String op, String x, int k, int s, int p, int countIncludePad) {
        if (op.equals("AveragePool")) {
            return node(op, List.of(x), ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", p, p, p, p),
                    integer("count_include_pad", countIncludePad));
        }
        return node(op, List.of(x), ints("kernel_shape", k, k), ints("strides", s, s), ints("pads", p, p, p, p));
    }

    String pad(String x, long top, long left, long bottom, long right) {
        long[] pads = {0, 0, top, left, 0, 0, bottom, right};
        if (opset < 11) {
            return node("Pad", List.of(x), ints("pads", pads), Onnx.AttributeProto.newBuilder().setName("mode")
                    .setType(Onnx.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8("constant")).build());
        }
        return node("Pad", List.of(x, longs("pad.pads", pads, 8)));
    }

    String dropout(String x) {
        if (opset >= 12) {
            return node("Dropout", List.of(x, floats("dropout.ratio", new float[]{0.5f})));
        }
        return node("Dropout", List.of(x), real("ratio", 0.5f));
    }

    String head(String x, Head h) {
        String w;
        switch (h) {
            case GEMM -> {
                x = node("Flatten", List.of(x), integer("axis", 1));
                return node("Gemm", List.of(x, floats("fc.weight", gauss(CLASSES * 8, 0.5), CLASSES, 8),
                        floats("fc.bias", gauss(CLASSES, 0.2), CLASSES)), real("alpha", 1f), real("beta", 1f), integer("transB", 1));
            }
            case REDUCE_MEAN -> {
                return node("Gemm", List.of(x, floats("fc.weight", gauss(CLASSES * 8, 0.5), CLASSES, 8),
                        floats("fc.bias", gauss(CLASSES, 0.2), CLASSES)), integer("transB", 1));
            }
            case GEMM_SCALED -> {
                x = node("Flatten", List.of(x), integer("axis", 1));
                return node("Gemm", List.of(x, floats("fc.weight", gauss(CLASSES * 8, 0.5), 8, CLASSES),
                        floats("fc.bias", gauss(1, 0.2), 1)), real("alpha", 0.7f), real("beta", 1.5f));
            }
            case FLATTEN_MAP -> {
                x = node("Flatten", List.of(x), integer("axis", 1));
                return node("Gemm", List.of(x, floats("fc.weight", gauss(CLASSES * 8 * 16, 0.1), CLASSES, 8 * 16),
                        floats("fc.bias", gauss(CLASSES, 0.2), CLASSES)), integer("transB", 1));
            }
            case MATMUL_ADD -> {
                x = node("Flatten", List.of(x), integer("axis", 1));
                String m = node("MatMul", List.of(x, floats("fc.weight", gauss(CLASSES * 8, 0.5), 8, CLASSES)));
                return node("Add", List.of(m, floats("fc.bias", gauss(CLASSES, 0.2), CLASSES)));
            }
            case RESHAPE_SHAPE -> {
                String shape = node("Shape", List.of(x));
                String zero = node("Constant", List.of(), Onnx.AttributeProto.newBuilder().setName("value")
                        .setType(Onnx.AttributeProto.AttributeType.TENSOR).setT(longTensor("c0", new long[]{0})).build());
                String n = node("Gather", List.of(shape, zero), integer("axis", 0));
                String un = opset >= 13 ? node("Unsqueeze", List.of(n, longs("unsq.axes", new long[]{0}, 1)))
                        : node("Unsqueeze", List.of(n), ints("axes", 0));
                String target = node("Concat", List.of(un, longs("minus1", new long[]{-1}, 1)), integer("axis", 0));
                x = node("Reshape", List.of(x, target));
                w = floats("fc.weight", gauss(CLASSES * 8, 0.5), CLASSES, 8);
            }
            default -> {
                x = node("Reshape", List.of(x, longs("flat.shape", new long[]{0, -1}, 2)));
                w = floats("fc.weight", gauss(CLASSES * 8, 0.5), CLASSES, 8);
            }
        }
        return node("Gemm", List.of(x, w, floats("fc.bias", gauss(CLASSES, 0.2), CLASSES)), integer("transB", 1));
    }

    String node(String op, List<String> inputs, Onnx.AttributeProto... attrs) {
        String name = op + "_" + counter++;
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addOutput(name + ".out");
        for (Onnx.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        nodes.add(n.build());
        return name + ".out";
    }

    private Path save(Variant v, Path dir, String out) throws IOException {
        String base = v.label().replaceAll("[^A-Za-z0-9]", "_");
        List<Onnx.TensorProto> stored = new ArrayList<>();
        if (v.external()) {
            Path data = dir.resolve(base + ".weights");
            try (OutputStream os = Files.newOutputStream(data)) {
                long offset = 0;
                for (Onnx.TensorProto t : inits) {
                    if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT.getNumber()) {
                        stored.add(t);
                        continue;
                    }
                    byte[] raw = t.getRawData().toByteArray();
                    os.write(raw);
                    stored.add(t.toBuilder().clearRawData().setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                            .addExternalData(entry("location", data.getFileName().toString()))
                            .addExternalData(entry("offset", Long.toString(offset)))
                            .addExternalData(entry("length", Integer.toString(raw.length))).build());
                    offset += raw.length;
                }
            }
        } else {
            stored.addAll(inits);
        }
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("tiny").addAllNode(nodes).addAllInitializer(stored)
                .addInput(value("input", v.symbolicBatch() ? -1 : 1, CHW[0], CHW[1], CHW[2]))
                .addOutput(value(out, v.symbolicBatch() ? -1 : 1, CLASSES));
        if (v.initsAsInputs()) {
            for (Onnx.TensorProto t : inits) {
                long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
                g.addInput(value(t.getName(), dims));
            }
        }
        Onnx.ModelProto m = Onnx.ModelProto.newBuilder().setIrVersion(v.opset() >= 15 ? 8 : v.opset() >= 13 ? 7 : 4)
                .setProducerName("lathe-test").setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(v.opset())).build();
        Path file = dir.resolve(base + ".onnx");
        Files.write(file, m.toByteArray());
        return file;
    }

    /** Replaces the first node of {@code op} by one of type {@code newOp} (to make invalid-for-Lathe files). */
    static Path replaceOp(Path file, String op, String newOp) throws IOException {
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(Files.readAllBytes(file));
        Onnx.GraphProto.Builder g = m.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getOpType().equals(op)) {
                g.setNode(i, g.getNode(i).toBuilder().setOpType(newOp).clearAttribute());
                break;
            }
        }
        Path out = file.resolveSibling(newOp + "-" + file.getFileName());
        Files.write(out, m.toBuilder().setGraph(g).build().toByteArray());
        return out;
    }

    private static Onnx.StringStringEntryProto entry(String k, String v) {
        return Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private float[] gauss(int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * sd);
        }
        return v;
    }

    private String floats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims.length == 0 ? new long[]{v.length} : dims) {
            t.addDims(d);
        }
        if (dims.length == 0 && v.length == 1) {
            t.clearDims();
        }
        inits.add(t.build());
        return name;
    }

    private String longs(String name, long[] v, long dim) {
        inits.add(longTensor(name, v).toBuilder().clearDims().addDims(dim).build());
        return name;
    }

    private static Onnx.TensorProto longTensor(String name, long[] v) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64.getNumber());
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }

    static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static Onnx.AttributeProto integer(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v).build();
    }

    static Onnx.AttributeProto real(String name, float v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }
}
