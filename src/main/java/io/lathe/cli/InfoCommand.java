package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.model.CouplingGroup;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.model.TreeNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code info}: the layer tree, parameters, MACs and coupling groups of a model. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model's layer tree, parameters and MACs.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Option(names = "--model", required = true,
            description = "ONNX file, Keras .h5 or architecture .json, DL4J model zip, or zoo:resnet50.")
    String model;

    @Override
    public Integer call() throws Exception {
        LoadedModel m = io.lathe.model.ModelLoader.load(model);
        LayerTree tree = LayerTree.of(m);
        if (common.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", m.name());
            out.put("origin", m.origin());
            out.put("format", m.format());
            out.put("sha256", m.sha256());
            out.put("trained", m.trained());
            out.put("inputShape", m.inputShape());
            out.put("preprocess", m.preprocessing().toNode());
            out.put("totalParams", tree.totalParams());
            out.put("modelParams", m.parameterCount());
            out.put("totalMacs", tree.totalMacs());
            out.put("residual", tree.residual());
            out.put("notes", m.notes());
            List<Map<String, Object>> layers = new ArrayList<>();
            for (LayerInfo l : tree.layers()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", l.name());
                r.put("type", l.kind().label());
                r.put("dl4jType", l.typeName());
                r.put("kernel", l.kernel());
                r.put("stride", l.stride());
                r.put("inChannels", l.inChannels());
                r.put("outChannels", l.outChannels());
                r.put("outShape", new long[]{l.outChannels(), l.outHeight(), l.outWidth()});
                r.put("params", l.params());
                r.put("macs", l.macs());
                r.put("prunable", l.prunable());
                r.put("stage", tree.stageOf(l.name()) == null ? null : tree.stageOf(l.name()).label());
                r.put("block", tree.blockOf(l.name()) == null ? null : tree.blockOf(l.name()).label());
                CouplingGroup g = tree.groupOf(l.name());
                r.put("couplingGroup", g == null ? null : g.id());
                layers.add(r);
            }
            out.put("layers", layers);
            List<Map<String, Object>> groups = new ArrayList<>();
            for (CouplingGroup g : tree.couplingGroups()) {
                groups.add(Map.of("id", g.id(), "members", g.members(), "adds", g.adds()));
            }
            out.put("couplingGroups", groups);
            Json.print(out);
        } else {
            System.out.printf("%s (%s)%s: %,d parameters, %,d MACs per image, input %dx%dx%d%n", m.name(), m.format(),
                    m.trained() ? "" : " [untrained]", tree.totalParams(), tree.totalMacs(), m.inputShape()[0],
                    m.inputShape()[1], m.inputShape()[2]);
            System.out.println("preprocessing " + m.preprocessing().describe());
            m.notes().forEach(n -> System.out.println("note: " + n));
            print(tree.root(), "");
            System.out.println("coupling groups (channel pruning moves each group together):");
            tree.couplingGroups().forEach(g -> System.out.println("  " + g.id() + ": " + g.members()));
        }
        return 0;
    }

    private static void print(TreeNode n, String indent) {
        if (n.layer() != null) {
            LayerInfo l = n.layer();
            System.out.printf("%s%-34s %-15s %-22s %9d params %12d MACs%s%n", indent, l.name(), l.kind().label(),
                    l.shapeText(), l.params(), l.macs(), l.prunable() ? "  prunable" : "");
            return;
        }
        System.out.printf("%s%s  (%,d params, %,d MACs)%n", indent, n.label(), n.params(), n.macs());
        for (TreeNode c : n.children()) {
            print(c, indent + "  ");
        }
    }
}
