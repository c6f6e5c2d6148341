package io.lathe.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node of the layer tree: the model, a stage, a residual block, or a layer (leaf). Group nodes
 * report totals of their leaves.
 */
public final class TreeNode {
    /** What a node stands for. */
    public enum Level { MODEL, STAGE, BLOCK, LAYER }

    private final String label;
    private final Level level;
    private final LayerInfo layer;
    private final List<TreeNode> children = new ArrayList<>();

    TreeNode(String label, Level level, LayerInfo layer) {
        this.label = label;
        this.level = level;
        this.layer = layer;
    }

    public String label() {
        return label;
    }

    public Level level() {
        return level;
    }

    /** The layer for leaves, null for groups. */
    public LayerInfo layer() {
        return layer;
    }

    public List<TreeNode> children() {
        return Collections.unmodifiableList(children);
    }

    void add(TreeNode child) {
        children.add(child);
    }

    /** All layers at or below this node, in execution order. */
    public List<LayerInfo> layers() {
        List<LayerInfo> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(TreeNode n, List<LayerInfo> out) {
        if (n.layer != null) {
            out.add(n.layer);
        }
        for (TreeNode c : n.children) {
            collect(c, out);
        }
    }

    /** Names of the prunable layers at or below this node. */
    public List<String> prunableLayerNames() {
        return layers().stream().filter(LayerInfo::prunable).map(LayerInfo::name).toList();
    }

    /** Sum of parameters below this node. */
    public long params() {
        return layers().stream().mapToLong(LayerInfo::params).sum();
    }

    /** Sum of MACs below this node. */
    public long macs() {
        return layers().stream().mapToLong(LayerInfo::macs).sum();
    }

    @Override
    public String toString() {
        return label;
    }
}
