package io.lathe.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The network as a tree: model → stem/stages → residual blocks → layers, derived from the graph's
 * structure (residual Adds and where their branches split), not from layer names. Also computes the
 * residual coupling groups. Immutable once built.
 */
public final class LayerTree {
    private final TreeNode root;
    private final Map<String, LayerInfo> layers;
    private final List<CouplingGroup> groups;
    private final Map<String, CouplingGroup> groupByLayer = new HashMap<>();
    private final Map<String, TreeNode> blockOf = new HashMap<>();
    private final Map<String, TreeNode> stageOf = new HashMap<>();
    private final boolean residual;

    private LayerTree(TreeNode root, Map<String, LayerInfo> layers, List<CouplingGroup> groups, boolean residual) {
        this.root = root;
        this.layers = Collections.unmodifiableMap(layers);
        this.groups = List.copyOf(groups);
        this.residual = residual;
        for (CouplingGroup g : groups) {
            for (String m : g.members()) {
                groupByLayer.put(m, g);
            }
        }
        for (TreeNode stage : root.children()) {
            for (TreeNode child : stage.children()) {
                if (child.level() == TreeNode.Level.BLOCK) {
                    for (LayerInfo l : child.layers()) {
                        blockOf.put(l.name(), child);
                    }
                }
            }
            for (LayerInfo l : stage.layers()) {
                stageOf.put(l.name(), stage);
            }
        }
    }

    /** Builds the tree of a loaded model. */
    public static LayerTree of(LoadedModel model) {
        return of(model.name(), model.graph(), model.inputShape(), model.channelsLast());
    }

    /** Builds the tree of a graph whose input is {@code channels×height×width}. */
    public static LayerTree of(String name, ComputationGraph graph, int[] inputShape, boolean channelsLast) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        List<String> order = topologicalNames(graph);
        Map<String, List<String>> inputs = conf.getVertexInputs();
        InputType in = InputType.convolutional(inputShape[1], inputShape[2], inputShape[0],
                channelsLast ? CNN2DFormat.NHWC : CNN2DFormat.NCHW);
        Map<String, InputType> types = conf.getLayerActivationTypes(in);
        Map<String, LayerInfo> infos = new LinkedHashMap<>();
        for (String v : order) {
            if (conf.getNetworkInputs().contains(v)) {
                continue;
            }
            infos.put(v, describe(graph, conf.getVertices().get(v), v, inputs.getOrDefault(v, List.of()), types));
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        BitSet[] ancestors = ancestors(order, inputs, index);
        List<Block> blocks = findBlocks(order, infos, inputs, index, ancestors, graph);
        TreeNode root = new TreeNode(name, TreeNode.Level.MODEL, null);
        boolean residual = !blocks.isEmpty();
        if (!residual) {
            TreeNode flat = new TreeNode("layers", TreeNode.Level.STAGE, null);
            infos.values().forEach(l -> flat.add(new TreeNode(l.name(), TreeNode.Level.LAYER, l)));
            root.add(flat);
        } else {
            buildStages(root, order, infos, blocks, types, index);
        }
        return new LayerTree(root, infos, couplingGroups(order, infos, inputs), residual);
    }

    private record Block(int entry, int add, List<String> members) {
    }

    private static void buildStages(TreeNode root, List<String> order, Map<String, LayerInfo> infos, List<Block> blocks,
                                    Map<String, InputType> types, Map<String, Integer> index) {
        Map<String, Integer> blockIndexOf = new HashMap<>();
        for (int b = 0; b < blocks.size(); b++) {
            for (String m : blocks.get(b).members()) {
                blockIndexOf.put(m, b);
            }
        }
        TreeNode stem = new TreeNode("stem", TreeNode.Level.STAGE, null);
        TreeNode head = new TreeNode("head", TreeNode.Level.STAGE, null);
        root.add(stem);
        TreeNode stage = null;
        int stageNo = 0;
        int blockInStage = 0;
        int lastBlockEnd = blocks.get(blocks.size() - 1).add();
        int done = -1;
        for (String v : order) {
            LayerInfo info = infos.get(v);
            if (info == null) {
                continue;
            }
            Integer b = blockIndexOf.get(v);
            if (b == null) {
                TreeNode leaf = new TreeNode(v, TreeNode.Level.LAYER, info);
                if (stage == null) {
                    stem.add(leaf);
                } else if (index.get(v) > lastBlockEnd) {
                    head.add(leaf);
                } else {
                    stage.add(leaf);
                }
                continue;
            }
            if (b <= done) {
                continue;
            }
            done = b;
            Block block = blocks.get(b);
            String entryName = order.get(block.entry());
            boolean changes = !sameShape(types.get(entryName), types.get(order.get(block.add())));
            if (stage == null || changes) {
                stageNo++;
                blockInStage = 0;
                InputType t = types.get(order.get(block.add()));
                stage = new TreeNode("stage " + stageNo + shapeLabel(t), TreeNode.Level.STAGE, null);
                root.add(stage);
            }
            TreeNode blockNode = new TreeNode("block " + blockInStage++, TreeNode.Level.BLOCK, null);
            for (String m : block.members()) {
                blockNode.add(new TreeNode(m, TreeNode.Level.LAYER, infos.get(m)));
            }
            stage.add(blockNode);
        }
        if (!head.children().isEmpty()) {
            root.add(head);
        }
    }

    private static String shapeLabel(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return " (" + c.getChannels() + " ch, " + c.getHeight() + "×" + c.getWidth() + ")";
        }
        return "";
    }

    private static boolean sameShape(InputType a, InputType b) {
        if (a instanceof InputType.InputTypeConvolutional x && b instanceof InputType.InputTypeConvolutional y) {
            return x.getChannels() == y.getChannels() && x.getHeight() == y.getHeight() && x.getWidth() == y.getWidth();
        }
        return a != null && a.equals(b);
    }

    private static List<Block> findBlocks(List<String> order, Map<String, LayerInfo> infos,
                                          Map<String, List<String>> inputs, Map<String, Integer> index,
                                          BitSet[] ancestors, ComputationGraph graph) {
        List<Block> blocks = new ArrayList<>();
        Map<String, List<String>> consumers = consumers(inputs);
        for (int i = 0; i < order.size(); i++) {
            String v = order.get(i);
            LayerInfo info = infos.get(v);
            if (info == null || info.kind() != LayerKind.ADD || info.inputs().size() != 2) {
                continue;
            }
            int a = index.get(info.inputs().get(0));
            int b = index.get(info.inputs().get(1));
            BitSet ca = (BitSet) ancestors[a].clone();
            ca.set(a);
            BitSet cb = (BitSet) ancestors[b].clone();
            cb.set(b);
            ca.and(cb);
            int entry = ca.length() - 1;
            if (entry < 0) {
                continue;
            }
            List<String> members = new ArrayList<>();
            for (int k = entry + 1; k <= i; k++) {
                if (ancestors[k].get(entry) && (k == i || ancestors[i].get(k))) {
                    members.add(order.get(k));
                }
            }
            List<String> next = consumers.getOrDefault(v, List.of());
            if (next.size() == 1 && infos.get(next.get(0)) != null
                    && infos.get(next.get(0)).kind() == LayerKind.ACTIVATION) {
                members.add(next.get(0));
            }
            blocks.add(new Block(entry, i, members));
        }
        return blocks;
    }

    private static Map<String, List<String>> consumers(Map<String, List<String>> inputs) {
        Map<String, List<String>> out = new HashMap<>();
        inputs.forEach((v, ins) -> ins.forEach(in -> out.computeIfAbsent(in, k -> new ArrayList<>()).add(v)));
        return out;
    }

    private static BitSet[] ancestors(List<String> order, Map<String, List<String>> inputs, Map<String, Integer> index) {
        BitSet[] anc = new BitSet[order.size()];
        for (int i = 0; i < order.size(); i++) {
            anc[i] = new BitSet(order.size());
            for (String in : inputs.getOrDefault(order.get(i), List.of())) {
                int j = index.get(in);
                anc[i].set(j);
                anc[i].or(anc[j]);
            }
        }
        return anc;
    }

    private static List<CouplingGroup> couplingGroups(List<String> order, Map<String, LayerInfo> infos,
                                                      Map<String, List<String>> inputs) {
        Map<String, String> parent = new HashMap<>();
        for (LayerInfo l : infos.values()) {
            if (l.kind() != LayerKind.ADD) {
                continue;
            }
            String addKey = "add:" + l.name();
            for (String in : l.inputs()) {
                for (String src : producers(in, infos)) {
                    union(parent, addKey, src);
                }
            }
        }
        Map<String, List<String>> members = new TreeMap<>();
        Map<String, List<String>> adds = new TreeMap<>();
        for (String v : order) {
            LayerInfo l = infos.get(v);
            if (l == null) {
                continue;
            }
            if (l.kind() == LayerKind.ADD) {
                adds.computeIfAbsent(find(parent, "add:" + v), k -> new ArrayList<>()).add(v);
            } else if (l.prunable() && parent.containsKey(v)) {
                members.computeIfAbsent(find(parent, v), k -> new ArrayList<>()).add(v);
            }
        }
        List<CouplingGroup> out = new ArrayList<>();
        List<List<String>> sorted = new ArrayList<>(members.values());
        Map<List<String>, String> rootOf = new HashMap<>();
        members.forEach((root, list) -> rootOf.put(list, root));
        sorted.sort((x, y) -> Integer.compare(order.indexOf(x.get(0)), order.indexOf(y.get(0))));
        for (List<String> m : sorted) {
            out.add(new CouplingGroup(out.size(), m, adds.getOrDefault(rootOf.get(m), List.of())));
        }
        return out;
    }

    /** The weight layers or Adds that produce {@code v}'s channels, looking through BN and activations. */
    private static List<String> producers(String v, Map<String, LayerInfo> infos) {
        LayerInfo l = infos.get(v);
        if (l == null) {
            return List.of();
        }
        return switch (l.kind()) {
            case CONV, DENSE, OUTPUT -> List.of(v);
            case ADD -> List.of("add:" + v);
            case BATCH_NORM, ACTIVATION -> l.inputs().size() == 1 ? producers(l.inputs().get(0), infos) : List.of();
            default -> List.of();
        };
    }

    private static String find(Map<String, String> parent, String x) {
        parent.putIfAbsent(x, x);
        String p = parent.get(x);
        if (!p.equals(x)) {
            p = find(parent, p);
            parent.put(x, p);
        }
        return p;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }

    private static LayerInfo describe(ComputationGraph graph, GraphVertex vertex, String name, List<String> in,
                                      Map<String, InputType> types) {
        long outC = 0;
        long outH = 1;
        long outW = 1;
        InputType t = types.get(name);
        if (t instanceof InputType.InputTypeConvolutional c) {
            outC = c.getChannels();
            outH = c.getHeight();
            outW = c.getWidth();
        } else if (t instanceof InputType.InputTypeFeedForward f) {
            outC = f.getSize();
        }
        if (!(vertex instanceof LayerVertex lv)) {
            LayerKind kind = vertex instanceof ElementWiseVertex e && e.getOp() == ElementWiseVertex.Op.Add
                    ? LayerKind.ADD : LayerKind.OTHER;
            return new LayerInfo(name, kind, vertex.getClass().getSimpleName(), new int[]{0, 0}, new int[]{0, 0},
                    outC, outC, outH, outW, 0, 0, 0, false, List.copyOf(in));
        }
        Layer layer = lv.getLayerConf().getLayer();
        org.deeplearning4j.nn.api.Layer impl = graph.getLayer(name);
        long params = impl == null ? 0 : impl.numParams();
        INDArray w = impl == null || impl.numParams() == 0 ? null : impl.paramTable().get("W");
        long weights = w == null ? 0 : w.length();
        LayerKind kind = kindOf(layer);
        int[] kernel = {0, 0};
        int[] stride = {0, 0};
        long inC = outC;
        long macs = 0;
        if (layer instanceof ConvolutionLayer c) {
            kernel = c.getKernelSize().clone();
            stride = c.getStride().clone();
            inC = c.getNIn();
            macs = outH * outW * kernel[0] * kernel[1] * inC * c.getNOut();
            if (kind != LayerKind.CONV) {
                macs = weights * outH * outW;
            }
        } else if (layer instanceof FeedForwardLayer f && (kind == LayerKind.DENSE || kind == LayerKind.OUTPUT)) {
            inC = f.getNIn();
            macs = f.getNIn() * f.getNOut();
        } else if (layer instanceof FeedForwardLayer f) {
            inC = f.getNIn() > 0 ? f.getNIn() : outC;
        }
        return new LayerInfo(name, kind, layer.getClass().getSimpleName(), kernel, stride, inC, outC, outH, outW,
                params, weights, macs, kind.hasWeights() && weights > 0, List.copyOf(in));
    }

    private static LayerKind kindOf(Layer layer) {
        if (layer instanceof DepthwiseConvolution2D || layer instanceof SeparableConvolution2D) {
            return LayerKind.OTHER;
        }
        if (layer instanceof ConvolutionLayer) {
            return LayerKind.CONV;
        }
        if (layer instanceof BaseOutputLayer) {
            return LayerKind.OUTPUT;
        }
        if (layer instanceof DenseLayer) {
            return LayerKind.DENSE;
        }
        if (layer instanceof BatchNormalization) {
            return LayerKind.BATCH_NORM;
        }
        if (layer instanceof ActivationLayer) {
            return LayerKind.ACTIVATION;
        }
        if (layer instanceof SubsamplingLayer || layer instanceof GlobalPoolingLayer) {
            return LayerKind.POOL;
        }
        return LayerKind.OTHER;
    }

    private static List<String> topologicalNames(ComputationGraph graph) {
        int[] topo = graph.topologicalSortOrder();
        var vertices = graph.getVertices();
        List<String> out = new ArrayList<>(topo.length);
        for (int i : topo) {
            out.add(vertices[i].getVertexName());
        }
        return out;
    }

    /** The root node (the model). */
    public TreeNode root() {
        return root;
    }

    /** True if residual blocks were found. */
    public boolean residual() {
        return residual;
    }

    /** Every vertex except the inputs, in execution order. */
    public List<LayerInfo> layers() {
        return List.copyOf(layers.values());
    }

    /** The prunable layers, in execution order. */
    public List<LayerInfo> prunableLayers() {
        return layers.values().stream().filter(LayerInfo::prunable).toList();
    }

    /** The layer named {@code name}, or null. */
    public LayerInfo layer(String name) {
        return layers.get(name);
    }

    /** Residual coupling groups, in execution order of their first member. */
    public List<CouplingGroup> couplingGroups() {
        return groups;
    }

    /** The coupling group of a layer, or null if its channels are free. */
    public CouplingGroup groupOf(String layer) {
        return groupByLayer.get(layer);
    }

    /** The block node that holds {@code layer}, or null (stem/head). */
    public TreeNode blockOf(String layer) {
        return blockOf.get(layer);
    }

    /** The stage (or stem/head) node that holds {@code layer}. */
    public TreeNode stageOf(String layer) {
        return stageOf.get(layer);
    }

    /** Total parameters. */
    public long totalParams() {
        return layers.values().stream().mapToLong(LayerInfo::params).sum();
    }

    /** Total MACs for one image. */
    public long totalMacs() {
        return layers.values().stream().mapToLong(LayerInfo::macs).sum();
    }
}
