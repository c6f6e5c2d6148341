package io.lathe.ui;

import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.SpeedClass;
import io.lathe.model.LayerInfo;
import io.lathe.model.TreeNode;
import io.lathe.session.WeightTable;
import io.lathe.session.Workspace;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The layer tree-table: model → stages → blocks → layers with type, parameters, MACs, sparsity,
 * bits, sensitivity and lock, plus a search field. Group rows show totals (sparsity weighted by
 * weights). Selecting rows selects layers in the {@link LayerEditor}.
 */
final class LayerTreePane extends VBox {
    private final WorkbenchModel model;
    private final TreeTableView<TreeNode> table = new TreeTableView<>();
    private final TextField search = new TextField();
    private boolean selecting;

    LayerTreePane(WorkbenchModel model) {
        this.model = model;
        getStyleClass().add("tree-pane");
        Label title = new Label("Layers");
        title.getStyleClass().add("pane-title");
        search.setPromptText("Search layers (name or type)");
        search.setTooltip(new Tooltip("Show only layers whose name or type contains this text"));
        search.setId("layer-search");
        HBox.setHgrow(search, Priority.ALWAYS);
        table.setId("layer-tree");
        table.setShowRoot(true);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TreeTableView.UNCONSTRAINED_RESIZE_POLICY);
        table.setTooltip(new Tooltip("Select a layer to edit it; Ctrl/Shift-click to select several for "
                + "\"Apply to selection\""));
        table.getColumns().addAll(List.of(nameColumn(), textColumn("Type", 44, this::type, "The layer's kind"),
                textColumn("Params", 48, n -> Formats.compact(params(n)), "Parameters (weights, biases, BatchNorm)"),
                textColumn("MACs", 48, n -> Formats.compact(macs(n)), "Multiply-accumulates per image (dense)"),
                textColumn("Sparsity", 58, this::sparsityText, "Fraction of weights the plan removes (group rows: "
                        + "weighted by weights)"),
                textColumn("Bits", 36, this::bitsText, "Bit width of the weights under the plan (32 = unchanged); "
                        + "\"sh4\" = weights shared among 2^4 = 16 values (4-bit indices)"),
                textColumn("Sens.", 64, this::sensitivityText, "Sensitivity: rank among the swept layers (low, medium, "
                        + "high, top 5%) and, in brackets, the mean accuracy drop in points over the swept sparsity "
                        + "levels; empty until a sensitivity analysis has measured the layer (Sensitivity tab)"),
                textColumn("Speed", 44, this::speedText, "What the layer's settings do on this machine's dense "
                        + "kernels: \"real\" = latency-real (whole channels removed: the network gets smaller and "
                        + "faster once they are removed in the Structure tab); \"size\" = size-only (element or "
                        + "block sparsity, quantization, weight sharing: smaller file, about the same latency); "
                        + "empty = unchanged. Group rows: the layers' kinds"),
                lockColumn()));
        VBox.setVgrow(table, Priority.ALWAYS);
        TreeTableColumn<TreeNode, ?> name = table.getColumns().get(0);
        double others = table.getColumns().stream().skip(1).mapToDouble(TreeTableColumn::getPrefWidth).sum();
        name.prefWidthProperty().bind(table.widthProperty().subtract(others + 18));
        getChildren().addAll(title, search, table);
        model.workspaceProperty().addListener((o, a, ws) -> rebuild(ws));
        PulseCoalescer refresh = new PulseCoalescer(table::refresh);
        model.editor().planProperty().addListener((o, a, b) -> refresh.request());
        model.sensitivityProperty().addListener((o, a, b) -> table.refresh());
        search.textProperty().addListener((o, a, b) -> rebuild(model.workspace()));
        table.getSelectionModel().getSelectedItems().addListener(
                (javafx.collections.ListChangeListener<TreeItem<TreeNode>>) c -> selectionChanged());
    }

    TreeTableView<TreeNode> table() {
        return table;
    }

    private void selectionChanged() {
        if (selecting) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (TreeItem<TreeNode> item : table.getSelectionModel().getSelectedItems()) {
            if (item != null) {
                item.getValue().layers().stream().filter(LayerInfo::prunable).forEach(l -> names.add(l.name()));
            }
        }
        TreeItem<TreeNode> focused = table.getSelectionModel().getSelectedItem();
        String primary = focused != null && focused.getValue().layer() != null ? focused.getValue().layer().name() : null;
        model.layers().select(primary, names);
    }

    private void rebuild(Workspace ws) {
        if (ws == null) {
            table.setRoot(null);
            return;
        }
        String q = search.getText() == null ? "" : search.getText().trim().toLowerCase(Locale.ROOT);
        selecting = true;
        TreeItem<TreeNode> root = item(ws.tree().root(), q);
        if (root == null) {
            root = new TreeItem<>(ws.tree().root());
        }
        root.setExpanded(true);
        table.setRoot(root);
        selecting = false;
    }

    private TreeItem<TreeNode> item(TreeNode node, String q) {
        TreeItem<TreeNode> it = new TreeItem<>(node);
        if (node.layer() != null) {
            LayerInfo l = node.layer();
            boolean match = q.isEmpty() || l.name().toLowerCase(Locale.ROOT).contains(q)
                    || l.kind().label().toLowerCase(Locale.ROOT).contains(q);
            return match ? it : null;
        }
        for (TreeNode c : node.children()) {
            TreeItem<TreeNode> ci = item(c, q);
            if (ci != null) {
                it.getChildren().add(ci);
            }
        }
        it.setExpanded(node.level() != TreeNode.Level.BLOCK || !q.isEmpty());
        return it.getChildren().isEmpty() && !q.isEmpty() ? null : it;
    }

    private TreeTableColumn<TreeNode, String> nameColumn() {
        TreeTableColumn<TreeNode, String> c = new TreeTableColumn<>("Name");
        c.setMinWidth(110);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(label(f.getValue().getValue())));
        c.setCellFactory(col -> new TreeTableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("overridden", "group-row");
                setText(empty ? null : item);
                TreeNode n = empty || getTableRow() == null || getTableRow().getItem() == null ? null : getTableRow().getItem();
                setTooltip(n == null ? null : new Tooltip(n.layer() == null ? n.label()
                        : n.layer().name() + "\n" + n.layer().typeName() + " " + n.layer().shapeText()));
                if (n != null && n.layer() == null) {
                    getStyleClass().add("group-row");
                }
                Plan p = model.editor().plan();
                if (n != null && n.layer() != null && p != null && p.layers().containsKey(n.layer().name())) {
                    getStyleClass().add("overridden");
                }
            }
        });
        return c;
    }

    private static String label(TreeNode n) {
        if (n.layer() == null) {
            return n.label();
        }
        String name = n.layer().name();
        int dot = name.lastIndexOf('.');
        return dot > 0 && n.level() == TreeNode.Level.LAYER ? shortName(name) : name;
    }

    /** The layer name without its stage/block prefix, which the tree already shows. */
    static String shortName(String name) {
        String s = name.replaceFirst("^stage\\d+\\.block\\d+\\.", "");
        return s.isEmpty() ? name : s;
    }

    private TreeTableColumn<TreeNode, String> textColumn(String title, double width,
                                                         java.util.function.Function<TreeNode, String> value,
                                                         String tip) {
        TreeTableColumn<TreeNode, String> c = new TreeTableColumn<>(title);
        c.setPrefWidth(width);
        c.setMinWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue().getValue())));
        c.getStyleClass().add("num-column");
        Label header = new Label(title);
        header.setTooltip(new Tooltip(tip));
        c.setGraphic(header);
        c.setText(null);
        c.setId("col-" + title.toLowerCase(Locale.ROOT).replace(".", ""));
        return c;
    }

    private TreeTableColumn<TreeNode, Boolean> lockColumn() {
        TreeTableColumn<TreeNode, Boolean> c = new TreeTableColumn<>();
        Label header = new Label("", Icons.lock());
        header.setTooltip(new Tooltip("Locked: the layer keeps its own settings when global settings change "
                + "or settings are applied to its block, stage or everything"));
        c.setGraphic(header);
        c.setPrefWidth(24);
        c.setMinWidth(24);
        c.setMaxWidth(30);
        c.setCellValueFactory(f -> {
            TreeNode n = f.getValue().getValue();
            Plan p = model.editor().plan();
            return new ReadOnlyObjectWrapper<>(n.layer() != null && p != null && p.isLocked(n.layer().name()));
        });
        c.setCellFactory(col -> new TreeTableCell<>() {
            @Override
            protected void updateItem(Boolean item, boolean empty) {
                super.updateItem(item, empty);
                setGraphic(!empty && Boolean.TRUE.equals(item) ? Icons.lock() : null);
            }
        });
        return c;
    }

    private String type(TreeNode n) {
        return switch (n.level()) {
            case MODEL -> "model";
            case STAGE -> "stage";
            case BLOCK -> "block";
            case LAYER -> switch (n.layer().kind()) {
                case CONV -> "conv";
                case DENSE -> "dense";
                case OUTPUT -> "fc out";
                case BATCH_NORM -> "BN";
                case ACTIVATION -> "act";
                case POOL -> "pool";
                case ADD -> "add";
                case OTHER -> n.layer().typeName();
            };
        };
    }

    private static long params(TreeNode n) {
        return n.layers().stream().mapToLong(LayerInfo::params).sum();
    }

    private static long macs(TreeNode n) {
        return n.layers().stream().mapToLong(LayerInfo::macs).sum();
    }

    private String sparsityText(TreeNode n) {
        Workspace ws = model.workspace();
        Plan p = model.editor().plan();
        if (ws == null || p == null) {
            return "";
        }
        WeightTable w = ws.weights();
        double removed = 0;
        long total = 0;
        for (LayerInfo l : n.layers()) {
            if (l.prunable()) {
                removed += w.sparsityOf(l.name(), p.pruneOf(l.name())) * l.weights();
                total += l.weights();
            }
        }
        return total == 0 ? "" : Formats.percent(removed / total, 1);
    }

    private String speedText(TreeNode n) {
        Plan p = model.editor().plan();
        if (p == null) {
            return "";
        }
        java.util.Set<SpeedClass> kinds = java.util.EnumSet.noneOf(SpeedClass.class);
        for (LayerInfo l : n.layers()) {
            if (l.prunable()) {
                kinds.add(speedOf(p, l));
            }
        }
        kinds.remove(SpeedClass.NONE);
        if (kinds.size() > 1) {
            return "mixed";
        }
        return kinds.isEmpty() ? "" : speedLabel(kinds.iterator().next());
    }

    /** A layer's speed class; the classifier never loses channels, so a channel setting leaves it unchanged. */
    private static SpeedClass speedOf(Plan p, LayerInfo l) {
        PruneSetting prune = p.pruneOf(l.name());
        if (l.kind() == io.lathe.model.LayerKind.OUTPUT && prune.granularity() == io.lathe.compress.Granularity.CHANNEL) {
            prune = PruneSetting.NONE;
        }
        return SpeedClass.of(prune, p.quantOf(l.name()), p.shareOf(l.name()));
    }

    /** The short label of a speed class in the tree: "real", "size" or empty. */
    static String speedLabel(SpeedClass c) {
        return switch (c) {
            case LATENCY_REAL -> "real";
            case SIZE_ONLY -> "size";
            case NONE -> "";
        };
    }

    private String sensitivityText(TreeNode n) {
        LayerSensitivity s = n.layer() == null ? null : model.sensitivityProperty().get().get(n.layer().name());
        return s == null ? "" : s.text();
    }

    private String bitsText(TreeNode n) {
        Plan p = model.editor().plan();
        if (p == null) {
            return "";
        }
        if (n.layer() != null) {
            return n.layer().prunable() ? bitsOf(p, n.layer().name()) : "";
        }
        var bits = n.layers().stream().filter(LayerInfo::prunable).map(l -> bitsOf(p, l.name())).distinct().toList();
        return bits.size() == 1 ? bits.get(0) : bits.isEmpty() ? "" : "mixed";
    }

    /** "8" for a bit width, "sh4" for weights shared among 2^4 values. */
    private static String bitsOf(Plan p, String layer) {
        int share = p.shareOf(layer).bits();
        return share > 0 ? "sh" + share : Integer.toString(p.quantOf(layer).bits());
    }
}
