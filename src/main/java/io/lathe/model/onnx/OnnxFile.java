package io.lathe.model.onnx;

import io.lathe.model.ModelLoadException;
import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ONNX model file as read from disk: the protobuf graph, its default-domain opset and its
 * initializers decoded into {@link Tensor}s, including initializers stored as external data
 * (location, offset and length relative to the model file's folder).
 */
final class OnnxFile {
    private final Path path;
    private final Onnx.ModelProto model;
    private final int opset;
    private final Map<String, Tensor> initializers;

    private OnnxFile(Path path, Onnx.ModelProto model, int opset, Map<String, Tensor> initializers) {
        this.path = path;
        this.model = model;
        this.opset = opset;
        this.initializers = initializers;
    }

    /** Reads and decodes a model file. */
    static OnnxFile read(Path path) throws ModelLoadException {
        Onnx.ModelProto m;
        try (InputStream in = Files.newInputStream(path)) {
            m = Onnx.ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException(path + ": not a readable ONNX file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelLoadException(path + ": could not read (" + e.getMessage() + ")", e);
        }
        if (!m.hasGraph() || m.getGraph().getNodeCount() == 0) {
            throw new ModelLoadException(path + ": the ONNX file holds no graph");
        }
        int opset = -1;
        for (Onnx.OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < 0) {
            throw new ModelLoadException(path + ": the ONNX file imports no default-domain opset");
        }
        Map<String, Tensor> inits = new LinkedHashMap<>();
        Map<String, RandomAccessFile> open = new HashMap<>();
        try {
            for (Onnx.TensorProto t : m.getGraph().getInitializerList()) {
                inits.put(t.getName(), decode(path, t, open));
            }
        } finally {
            for (RandomAccessFile f : open.values()) {
                try {
                    f.close();
                } catch (IOException ignored) {
                    // closing a read-only file cannot lose data
                }
            }
        }
        return new OnnxFile(path, m, opset, inits);
    }

    /** True if the file parses as an ONNX model with a graph (used to recognise files by content). */
    static boolean looksLikeOnnx(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            if (head.length < 2 || head[0] != 0x08) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            Onnx.ModelProto m = Onnx.ModelProto.parseFrom(in);
            return m.hasGraph() && m.getGraph().getNodeCount() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Decodes a tensor stored in the model (used for initializers and Constant nodes). */
    static Tensor decode(Path model, Onnx.TensorProto t, Map<String, RandomAccessFile> open) throws ModelLoadException {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        ByteString raw = t.getRawData();
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            raw = external(model, t, open);
        }
        int type = t.getDataType();
        if (type == Onnx.TensorProto.DataType.FLOAT.getNumber()) {
            if (!raw.isEmpty()) {
                ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                float[] v = new float[b.remaining() / 4];
                b.asFloatBuffer().get(v);
                return Tensor.ofFloats(dims, v);
            }
            float[] v = new float[t.getFloatDataCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getFloatData(i);
            }
            return Tensor.ofFloats(dims, v);
        }
        if (type == Onnx.TensorProto.DataType.DOUBLE.getNumber()) {
            double[] d;
            if (!raw.isEmpty()) {
                ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                d = new double[b.remaining() / 8];
                b.asDoubleBuffer().get(d);
            } else {
                d = t.getDoubleDataList().stream().mapToDouble(Double::doubleValue).toArray();
            }
            float[] v = new float[d.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) d[i];
            }
            return Tensor.ofFloats(dims, v);
        }
        if (type == Onnx.TensorProto.DataType.INT64.getNumber()) {
            if (!raw.isEmpty()) {
                ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long[] v = new long[b.remaining() / 8];
                b.asLongBuffer().get(v);
                return Tensor.ofLongs(dims, v);
            }
            return Tensor.ofLongs(dims, t.getInt64DataList().stream().mapToLong(Long::longValue).toArray());
        }
        if (type == Onnx.TensorProto.DataType.INT32.getNumber()) {
            if (!raw.isEmpty()) {
                ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long[] v = new long[b.remaining() / 4];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getInt();
                }
                return Tensor.ofLongs(dims, v);
            }
            return Tensor.ofLongs(dims, t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray());
        }
        throw new ModelLoadException(model + ": tensor '" + t.getName() + "' has data type "
                + Onnx.TensorProto.DataType.forNumber(type) + "; Lathe imports float32/float64/int32/int64 tensors");
    }

    private static ByteString external(Path model, Onnx.TensorProto t, Map<String, RandomAccessFile> open)
            throws ModelLoadException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (Onnx.StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> {
                    // "checksum" and unknown keys do not change the data
                }
            }
        }
        if (location == null) {
            throw new ModelLoadException(model + ": initializer '" + t.getName() + "' is stored externally but names no file");
        }
        Path folder = model.toAbsolutePath().getParent();
        Path data = folder.resolve(location).normalize();
        if (!Files.isRegularFile(data)) {
            throw new ModelLoadException(model + ": external data file '" + location + "' (for initializer '"
                    + t.getName() + "') not found; expected it at " + data);
        }
        try {
            RandomAccessFile f = open.get(data.toString());
            if (f == null) {
                f = new RandomAccessFile(data.toFile(), "r");
                open.put(data.toString(), f);
            }
            long n = length >= 0 ? length : f.length() - offset;
            if (offset < 0 || n < 0 || offset + n > f.length()) {
                throw new ModelLoadException(model + ": external data file '" + location + "' is too short for initializer '"
                        + t.getName() + "' (needs bytes " + offset + ".." + (offset + n) + ", has " + f.length() + ")");
            }
            byte[] b = new byte[(int) n];
            f.seek(offset);
            f.readFully(b);
            return ByteString.copyFrom(b);
        } catch (ModelLoadException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelLoadException(model + ": could not read external data file '" + location + "' ("
                    + e.getMessage() + ")", e);
        }
    }

    Path path() {
        return path;
    }

    Onnx.ModelProto model() {
        return model;
    }

    Onnx.GraphProto graph() {
        return model.getGraph();
    }

    int opset() {
        return opset;
    }

    /** The initializers by name. */
    Map<String, Tensor> initializers() {
        return initializers;
    }
}
