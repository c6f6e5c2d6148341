package io.lathe.model.onnx;

import onnx.Onnx;

/** Reads attributes of an ONNX node, with the defaults the ONNX operator specification gives. */
final class Attrs {
    private Attrs() {
    }

    static Onnx.AttributeProto find(Onnx.NodeProto n, String name) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    static long i(Onnx.NodeProto n, String name, long def) {
        Onnx.AttributeProto a = find(n, name);
        return a == null ? def : a.getI();
    }

    static float f(Onnx.NodeProto n, String name, float def) {
        Onnx.AttributeProto a = find(n, name);
        return a == null ? def : a.getF();
    }

    static long[] ints(Onnx.NodeProto n, String name, long[] def) {
        Onnx.AttributeProto a = find(n, name);
        return a == null ? def : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    static String s(Onnx.NodeProto n, String name, String def) {
        Onnx.AttributeProto a = find(n, name);
        return a == null ? def : a.getS().toStringUtf8();
    }
}
