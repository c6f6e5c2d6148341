package io.lathe.export;

import io.lathe.TinyResNet;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Granularity;
import io.lathe.compress.LayerSettings;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.compress.ShareSetting;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackedFileTest {
    /** One block per stage, two stages, 12×12 grey images, wide BatchNorm statistics. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8).withInput(1, 12).withNorms(TinyResNet.Norms.WIDE);

    private static LoadedModel model;
    private static CompressedModel cm;

    @BeforeAll
    static void compress() throws Exception {
        model = NET.withSeed(7).model("tiny");
        LayerTree tree = LayerTree.of(model);
        Plan plan = Plan.empty(model.name(), model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.6), QuantSetting.bits(4))
                .with("stage1.block0.conv2", new LayerSettings(PruneSetting.sparsity(Granularity.BLOCK, 0.5),
                        new QuantSetting(3, false, false), false))
                .with("stage2.block0.conv1", new LayerSettings(PruneSetting.sparsity(Granularity.CHANNEL, 0.25),
                        QuantSetting.bits(16), false))
                .with("stem.conv", new LayerSettings(PruneSetting.NONE, QuantSetting.NONE, false));
        cm = new PlanApplier(model, tree).apply(plan);
    }

    private static Map<String, WeightCoding> exactCodings() {
        Map<String, WeightCoding> c = new LinkedHashMap<>();
        cm.layers().forEach((k, v) -> c.put(k, WeightCoding.of(v, null)));
        return c;
    }

    @Test
    void restoresTheCompressedModelBitForBit() throws Exception {
        PackedFile.Written w = Packer.pack(cm.graph(), exactCodings(), false, "tiny", model.sha256(), null);
        ComputationGraph target = model.copyGraph();
        Packer.restore(PackedFile.read(w.bytes()), target);

        assertThat(w.rawFallbacks()).isZero();
        assertThat(ArtifactVerifier.sameBits(target, cm.graph())).isTrue();
        assertThat(ArtifactVerifier.sameBits(target, model.graph())).isFalse();
    }

    @Test
    void restoresTheFoldedModelBitForBit() throws Exception {
        BatchNormFolding.Folded f = BatchNormFolding.fold(cm.graph(), cm.layers());
        PackedFile.Written w = Packer.pack(f.graph(), f.codings(), true, "tiny", model.sha256(), null);
        PackedFile.Read read = PackedFile.read(w.bytes());
        ComputationGraph target = BatchNormFolding.foldedArchitecture(model.graph());
        Packer.restore(read, target);

        assertThat(read.header().folded()).isTrue();
        assertThat(w.rawFallbacks()).isZero();
        assertThat(ArtifactVerifier.sameBits(target, f.graph())).isTrue();
    }

    @Test
    void storesSharedWeightsAsCodebookAndIndicesBitForBit() throws Exception {
        LayerTree tree = LayerTree.of(model);
        Plan shared = Plan.empty(model.name(), model.sha256())
                .with("stage2.block0.conv2", new LayerSettings(PruneSetting.sparsity(Granularity.ELEMENT, 0.5),
                        QuantSetting.NONE, false, ShareSetting.bits(3)))
                .with("stage1.block0.conv1", new LayerSettings(null, null, false, ShareSetting.bits(2)));
        CompressedModel sm = new PlanApplier(model, tree).apply(shared);
        Map<String, WeightCoding> codings = new LinkedHashMap<>();
        Map<String, WeightCoding> withoutCodebooks = new LinkedHashMap<>();
        sm.layers().forEach((k, v) -> {
            WeightCoding wc = WeightCoding.of(v, null);
            codings.put(k, wc);
            withoutCodebooks.put(k, new WeightCoding(wc.keep(), wc.granularity(), wc.blockShape(), wc.quant(),
                    wc.scales(), wc.zeroPoints()));
        });
        PackedFile.Written w = Packer.pack(sm.graph(), codings, false, "tiny", model.sha256(), null);
        ComputationGraph target = model.copyGraph();
        Packer.restore(PackedFile.read(w.bytes()), target);
        assertThat(w.rawFallbacks()).isZero();
        assertThat(ArtifactVerifier.sameBits(target, sm.graph())).isTrue();

        PackedFile.Written floats = Packer.pack(sm.graph(), withoutCodebooks, false, "tiny", model.sha256(), null);
        for (String layer : List.of("stage2.block0.conv2", "stage1.block0.conv1")) {
            assertThat(w.bytesPerVertex().get(layer)).as(layer + ": indices beat fp32 values")
                    .isLessThan(floats.bytesPerVertex().get(layer) / 3);
        }

        BatchNormFolding.Folded f = BatchNormFolding.fold(sm.graph(), sm.layers());
        PackedFile.Written fw = Packer.pack(f.graph(), f.codings(), true, "tiny", model.sha256(), null);
        ComputationGraph foldedTarget = BatchNormFolding.foldedArchitecture(model.graph());
        Packer.restore(PackedFile.read(fw.bytes()), foldedTarget);
        assertThat(fw.rawFallbacks()).isZero();
        assertThat(ArtifactVerifier.sameBits(foldedTarget, f.graph())).isTrue();
    }

    @Test
    void isSmallerThanTheFp32Parameters() {
        PackedFile.Written w = Packer.pack(cm.graph(), exactCodings(), false, "tiny", model.sha256(), null);
        assertThat((long) w.bytes().length).isLessThan(4L * model.graph().numParams() / 3);
    }

    @Test
    void refusesATruncatedFile() {
        byte[] b = Packer.pack(cm.graph(), exactCodings(), false, "tiny", model.sha256(), null).bytes();
        byte[] cut = Arrays.copyOf(b, b.length - 40);
        assertThatThrownBy(() -> PackedFile.read(cut)).isInstanceOf(PackedFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void refusesATamperedFile() {
        byte[] b = Packer.pack(cm.graph(), exactCodings(), false, "tiny", model.sha256(), null).bytes();
        b[b.length / 2] ^= 0x10;
        assertThatThrownBy(() -> PackedFile.read(b)).isInstanceOf(PackedFormatException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void refusesAFileThatIsNotPacked() {
        assertThatThrownBy(() -> PackedFile.read("PK\3\4 a zip file".getBytes()))
                .isInstanceOf(PackedFormatException.class).hasMessageContaining("not a Lathe packed model");
    }

    @Test
    void refusesToRestoreIntoAnotherArchitecture() throws Exception {
        byte[] b = Packer.pack(cm.graph(), exactCodings(), false, "tiny", model.sha256(), null).bytes();
        ComputationGraph folded = BatchNormFolding.foldedArchitecture(model.graph());
        assertThatThrownBy(() -> Packer.restore(PackedFile.read(b), folded))
                .isInstanceOf(PackedFormatException.class).hasMessageContaining("different network layout");
    }
}
