package io.lathe.export;

import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Small builders for ONNX protobuf messages (the {@code onnx.Onnx} classes shipped in nd4j-api). */
final class OnnxProto {
    private OnnxProto() {
    }

    static Onnx.TensorProto floats(String name, long[] dims, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return tensor(name, dims, Onnx.TensorProto.DataType.FLOAT, b.array());
    }

    static Onnx.TensorProto int32s(String name, long[] dims, int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return tensor(name, dims, Onnx.TensorProto.DataType.INT32, b.array());
    }

    static Onnx.TensorProto int64s(String name, long[] dims, long[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return tensor(name, dims, Onnx.TensorProto.DataType.INT64, b.array());
    }

    static Onnx.TensorProto bytes(String name, long[] dims, Onnx.TensorProto.DataType type, byte[] v) {
        return tensor(name, dims, type, v);
    }

    private static Onnx.TensorProto tensor(String name, long[] dims, Onnx.TensorProto.DataType type, byte[] raw) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
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
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v)
                .build();
    }

    static Onnx.AttributeProto real(String name, float v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(v)
                .build();
    }

    static Onnx.NodeProto node(String op, String name, List<String> inputs, String output,
                               Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addOutput(output);
        for (Onnx.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    /** A float tensor value description; {@code dims} entries below 0 are the symbolic batch dimension. */
    static Onnx.ValueInfoProto floatValue(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
            if (d < 0) {
                dim.setDimParam("N");
            } else {
                dim.setDimValue(d);
            }
            shape.addDim(dim);
        }
        Onnx.TypeProto.Tensor.Builder tt = Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber());
        if (dims.length > 0) {
            tt.setShape(shape);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(tt)).build();
    }
}
