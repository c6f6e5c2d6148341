package io.lathe.export;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.Batches;
import io.lathe.data.LabeledImages;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import onnx.Onnx;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OnnxExportTest {
    /** One block per stage, two stages, 12×12 grey images, wide BatchNorm statistics. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8).withInput(1, 12).withNorms(TinyResNet.Norms.WIDE);

    private static LoadedModel model;
    private static CompressedModel cm;
    private static BatchNormFolding.Folded folded;
    private static final LabeledImages IMAGES = TinyImages.uniform("x", 40, 12, 11);

    @BeforeAll
    static void prepare() throws Exception {
        model = NET.withSeed(5).model("tiny");
        Plan plan = Plan.empty(model.name(), model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.3), QuantSetting.bits(6));
        cm = new PlanApplier(model, LayerTree.of(model)).apply(plan);
        folded = BatchNormFolding.fold(cm.graph(), cm.layers());
    }

    private static float[] dl4j(org.deeplearning4j.nn.graph.ComputationGraph g) {
        return g.outputSingle(false, Batches.features(IMAGES, 0, IMAGES.size())).dup('c').data().asFloat();
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void foldedDl4jModelMatchesTheUnfoldedOne() {
        assertThat(maxDiff(dl4j(folded.graph()), dl4j(cm.graph()))).isLessThan(1e-5);
        long bnLayers = LayerTree.of(model).layers().stream()
                .filter(l -> l.kind() == io.lathe.model.LayerKind.BATCH_NORM).count();
        assertThat(folded.foldedBn()).hasSize((int) bnLayers);
        assertThat(folded.graph().getVertices()).noneMatch(v -> folded.foldedBn().containsValue(v.getVertexName()));
    }

    @Test
    void onnxOutputMatchesDl4jWithinOneInTenThousand() throws Exception {
        byte[] onnx = OnnxExporter.fp32(folded.graph(), NET.inputShape(), "test");
        float[] expected = dl4j(cm.graph());
        try (OnnxRunner r = new OnnxRunner(onnx)) {
            float[] got = r.probabilities(IMAGES, 0, IMAGES.size());
            assertThat(got).hasSameSizeAs(expected);
            assertThat(maxDiff(got, expected)).isLessThan(1e-4);
        }
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(onnx);
        assertThat(m.getGraph().getNodeList()).noneMatch(n -> n.getOpType().equals("BatchNormalization"));
    }

    @Test
    void int8ModelUsesQuantizeNodesAndRuns() throws Exception {
        Map<String, float[]> ranges = ActivationCalibrator.ranges(folded.graph(), NET.inputShape(),
                TinyImages.uniform("calib", 30, 12, 12), 10, Progress.none());
        byte[] q = OnnxExporter.int8(folded.graph(), NET.inputShape(), new OnnxExporter.Int8(ranges, folded.codings()), "test");
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(q);
        long quantize = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count();
        assertThat(quantize).isEqualTo(OnnxExporter.quantizationPoints(folded.graph()).size());
        long convs = LayerTree.of(model).layers().stream()
                .filter(l -> l.kind() == io.lathe.model.LayerKind.CONV).count();
        assertThat(OnnxRunner.optimizedOps(q)).containsEntry("QLinearConv", (int) convs);
        float[] expected = dl4j(cm.graph());
        try (OnnxRunner r = new OnnxRunner(q)) {
            float[] got = r.probabilities(IMAGES, 0, IMAGES.size());
            assertThat(maxDiff(got, expected)).isLessThan(0.1);
        }
    }
}
