package io.lathe.export;

import io.lathe.TinyImages;
import io.lathe.TinyResNet;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.DataSplits;
import io.lathe.job.CancelledException;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportJobTest {
    /** One block per stage, two stages, 12×12 grey images, wide BatchNorm statistics. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8).withInput(1, 12).withNorms(TinyResNet.Norms.WIDE);

    private static final ExportOptions OPTIONS = new ExportOptions(true, true, 30, 8, 0, 0);
    private static LoadedModel model;
    private static LayerTree tree;
    private static Plan plan;
    private static DataSplits data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void prepare() throws Exception {
        model = NET.withSeed(3).model("tiny");
        tree = LayerTree.of(model);
        plan = Plan.empty(model.name(), model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), QuantSetting.bits(5));
        data = TinyImages.uniformSplits(60, 12, 21);
    }

    private ExportJob job(Path out, boolean overwrite) {
        return new ExportJob(model, tree, plan, data, out, overwrite, OPTIONS);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesEveryArtifactAndVerifiesIt() throws Exception {
        Path out = tmp.resolve("export");
        ExportResult r = job(out, false).run(Progress.none());

        assertThat(listing(out)).containsExactlyInAnyOrderElementsOf(ExportJob.fileNames("tiny", OPTIONS));
        assertThat(r.checks()).filteredOn(c -> !c.artifact().endsWith("-int8.onnx"))
                .allSatisfy(c -> assertThat(c.passed()).as(c.artifact() + ": " + c.check() + " " + c.detail()).isTrue());
        assertThat(r.checks()).anyMatch(c -> c.artifact().endsWith("-int8.onnx"));
        assertThat(r.sizes().packedBytes()).isLessThan(r.sizes().fp32Bytes());
        assertThat(Files.readString(out.resolve("tiny-report.html"))).contains("Verification").contains(model.sha256());
        assertThat(Files.readString(out.resolve("tiny-report.csv"))).contains("layer,stage1.block0.conv1");
    }

    @Test
    void exportedZipsCarryThePreprocessingTheModelIsReopenedWith() throws Exception {
        io.lathe.data.Preprocessing raw = io.lathe.data.Preprocessing.preset("raw");
        DataSplits rawData = new DataSplits(data.source(), data.train(), data.validation(), data.test(), raw, null);
        Path out = tmp.resolve("prep");
        new ExportJob(model, tree, plan, rawData, out, false, OPTIONS).run(Progress.none());
        LoadedModel reopened = io.lathe.model.ModelLoader.load(out.resolve("tiny-compressed.zip"));
        assertThat(reopened.preprocessing()).isEqualTo(raw);
        assertThat(reopened.notes()).noneMatch(n -> n.startsWith("No preprocessing stated"));
        assertThat(reopened.inputShape()).containsExactly(model.inputShape());
        assertThat(Files.readString(out.resolve("tiny-report.csv"))).contains(raw.describe());
    }

    @Test
    void lowRankAndActivationThresholdsAreExportedAsSmallerLayersAndThresholdedRelusThatReproduceThePreview()
            throws Exception {
        Plan p = plan.withBatchNormImages(40)
                .with("stage2.block0.conv1", io.lathe.compress.LayerSettings.INHERIT
                        .withLowRank(io.lathe.compress.LowRankSetting.rank(3)))
                .with("fc", io.lathe.compress.LayerSettings.INHERIT
                        .withLowRank(io.lathe.compress.LowRankSetting.energy(0.9)))
                .with("stage1.block0.relu1", io.lathe.compress.LayerSettings.INHERIT
                        .withActivation(io.lathe.compress.ActivationSetting.threshold(0.05)));
        Path out = tmp.resolve("lowrank");
        ExportResult r = new ExportJob(model, tree, p, data, out, false, OPTIONS).run(Progress.none());

        assertThat(r.checks()).filteredOn(c -> !c.artifact().endsWith("-int8.onnx"))
                .allSatisfy(c -> assertThat(c.passed()).as(c.artifact() + ": " + c.check() + " " + c.detail()).isTrue());
        assertThat(r.checks()).anyMatch(c -> c.artifact().equals("factorized layers"));
        var applier = new io.lathe.compress.PlanApplier(model, tree);
        var cm = applier.apply(p);
        io.lathe.eval.BnReestimator.calibrate(cm.graph(), tree, p, data.train(), Progress.none());
        double preview = io.lathe.eval.Evaluator.evaluate(cm.graph(), model, data.test(), Progress.none()).top1();
        assertThat(r.top1After()).as("the exported structure re-evaluates to the preview's figure")
                .isCloseTo(preview, org.assertj.core.api.Assertions.within(1.0 / data.test().size() + 1e-9));

        var exported = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                out.resolve("tiny-compressed.zip").toFile(), false);
        var first = (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) exported.getLayer("stage2.block0.conv1.lowrank")
                .conf().getLayer();
        assertThat(first.getKernelSize()).containsExactly(3, 1);
        assertThat(first.getNOut()).isEqualTo(3);
        assertThat(exported.getLayer("fc.lowrank")).isNotNull();
        assertThat(exported.numParams()).isLessThan(model.graph().numParams());
        assertThat(exported.getLayer("stage1.block0.relu1").conf().getLayer())
                .extracting(l -> ((org.deeplearning4j.nn.conf.layers.ActivationLayer) l).getActivationFn())
                .isInstanceOf(org.nd4j.linalg.activations.impl.ActivationThresholdedReLU.class);
        var folded = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                out.resolve("tiny-compressed-bnfolded.zip").toFile(), false);
        assertThat(OnnxExporter.quantizationPoints(folded)).as("INT8: QDQ after the thresholded ReLU, so the next "
                + "convolution fuses to QLinearConv").contains("stage1.block0.relu1");
        String onnx = new String(Files.readAllBytes(out.resolve("tiny.onnx")), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(onnx).contains("ThresholdedRelu").contains("stage2.block0.conv1.lowrank");
        String planText = Files.readString(out.resolve("tiny-plan.json"));
        assertThat(planText).contains("\"lowRank\"").contains("\"activation\"");
        assertThat(io.lathe.compress.PlanJson.read(planText, tree, model.sha256())).isEqualTo(p.forModel(model.name(),
                model.sha256()));
    }

    @Test
    void batchNormCalibrationInThePlanIsExportedAndReproducedByEveryArtifact() throws Exception {
        Plan calibrated = plan.withBatchNormImages(40);
        Path out = tmp.resolve("calibrated");
        ExportResult r = new ExportJob(model, tree, calibrated, data, out, false, OPTIONS).run(Progress.none());

        assertThat(r.checks()).filteredOn(c -> !c.artifact().endsWith("-int8.onnx"))
                .allSatisfy(c -> assertThat(c.passed()).as(c.artifact() + ": " + c.check() + " " + c.detail()).isTrue());
        var applier = new io.lathe.compress.PlanApplier(model, tree);
        var cm = applier.apply(calibrated);
        io.lathe.eval.BnReestimator.calibrate(cm.graph(), tree, calibrated, data.train(), Progress.none());
        double expected = io.lathe.eval.Evaluator.evaluate(cm.graph(), model, data.test(), Progress.none()).top1();
        assertThat(r.top1After()).isEqualTo(expected);
        var exported = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                out.resolve("tiny-compressed.zip").toFile(), false);
        assertThat(exported.params()).as("the exported zip holds the calibrated statistics").isEqualTo(cm.graph().params());
        assertThat(applier.apply(plan).graph().params()).as("calibration changed the statistics")
                .isNotEqualTo(cm.graph().params());
        assertThat(Files.readString(out.resolve("tiny-plan.json"))).contains("batchNormImages");
        assertThat(r.fingerprints()).containsKey("BatchNorm calibration data");
    }

    @Test
    void neverOverwritesWithoutPermission() throws Exception {
        Path out = tmp.resolve("again");
        job(out, false).run(Progress.none());
        byte[] before = Files.readAllBytes(out.resolve("tiny.lathe"));
        Files.writeString(out.resolve("tiny-plan.json"), "edited by hand");

        assertThatThrownBy(() -> job(out, false).run(Progress.none())).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("already exist").hasMessageContaining("--force");
        assertThat(Files.readString(out.resolve("tiny-plan.json"))).isEqualTo("edited by hand");

        job(out, true).run(Progress.none());
        assertThat(Files.readString(out.resolve("tiny-plan.json"))).contains("lathe-plan");
        assertThat(Files.readAllBytes(out.resolve("tiny.lathe"))).isEqualTo(before);
    }

    @Test
    void cancelledExportLeavesNothingBehind() {
        Path out = tmp.resolve("new/folder");
        AtomicInteger updates = new AtomicInteger();
        Progress cancelLate = new Progress() {
            @Override
            public void update(double fraction, String message) {
                updates.incrementAndGet();
            }

            @Override
            public boolean isCancelled() {
                return updates.get() > 0 && Files.exists(out) && hasStagedFiles(out);
            }
        };
        assertThatThrownBy(() -> job(out, false).run(cancelLate)).isInstanceOf(CancelledException.class);
        assertThat(tmp.resolve("new")).doesNotExist();
    }

    private static boolean hasStagedFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void unwritableFolderFailsCleanlyAndLeavesNothing() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Path out = file.resolve("export");

        assertThatThrownBy(() -> job(out, false).run(Progress.none())).isInstanceOf(IOException.class)
                .hasMessageContaining("is a file, not a folder");
        assertThat(listing(tmp)).containsExactly("not-a-folder");
        assertThat(Files.readString(file)).isEqualTo("x");
    }
}
