package io.lathe.model.onnx;

import onnx.Onnx;

/**
 * DL4J layer names for ONNX nodes: from the weight initializer ("layer1.0.conv1.weight" →
 * "layer1.0.conv1"), else from a PyTorch 2 scope path ("/layer1/layer1.0/relu/Relu" →
 * "layer1.0.relu"), else the node name, else op type and node index.
 */
final class LayerNames {
    private LayerNames() {
    }

    /** The node as the file names it (for messages): its name, else op and index. */
    static String display(Onnx.NodeProto n, int index) {
        return n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
    }

    /** A layer name for the node: its name (PyTorch 2 scope paths made module names), else op and index. */
    static String nodeName(Onnx.NodeProto n, int index) {
        if (n.getName().isEmpty()) {
            return n.getOpType() + "_" + index;
        }
        return n.getName().startsWith("/") ? scopeName(n.getName(), n.getOpType()) : n.getName();
    }

    /**
     * The module name in a PyTorch 2 node name: "/layer1/layer1.0/conv1/Conv" → "layer1.0.conv1",
     * "/layer1/layer1.0/downsample/downsample.0/Conv" → "layer1.0.downsample.0", "/fc/Gemm" → "fc".
     */
    static String scopeName(String path, String op) {
        String[] seg = path.substring(1).split("/");
        int last = seg.length - 1;
        if (last > 0 && seg[last].startsWith(op)) {
            last--;
        }
        String name = seg[last];
        for (int i = last - 1; i >= 0; i--) {
            if (!name.startsWith(seg[i] + ".") && !seg[i].isEmpty()) {
                name = seg[i] + "." + name;
            }
        }
        return name;
    }

    /** A layer name from a weight initializer ("layer1.0.conv1.weight" → "layer1.0.conv1"), else the node's. */
    static String weightName(Onnx.NodeProto n, int index, String weight) {
        if (weight != null && !weight.isEmpty() && !weight.startsWith("onnx::") && !weight.matches("[0-9]+")) {
            String base = weight.replaceAll("([./_:]weight|[./:]kernel|:0)$", "");
            if (!base.isEmpty()) {
                return base;
            }
        }
        return nodeName(n, index);
    }
}
