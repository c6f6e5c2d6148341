package io.lathe.ui.views;

import io.lathe.ui.export.ExportModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ExportModelTest extends ViewModelTest {
    @Test
    void withoutDataEveryArtifactIsGreyedWithTheReason() throws Exception {
        f = new ViewFixture(dir, false);
        ExportModel m = new ExportModel(f.wb, Runnable::run);
        assertThat(m.unavailableReason()).contains("open data");
        assertThat(m.artifacts()).allSatisfy(a -> {
            assertThat(a.available()).isFalse();
            assertThat(a.reason()).contains("open data");
        });
        m.folderProperty().set(dir.resolve("out"));
        assertThat(m.export(false)).startsWith("Cannot export");
        assertThat(m.runningProperty().get()).isFalse();
    }

    @Test
    void int8IsGreyedWithoutOnnxAndRequiredArtifactsSayWhy() throws Exception {
        f = new ViewFixture(dir, true);
        ExportModel m = new ExportModel(f.wb, Runnable::run);
        assertThat(m.artifacts()).allSatisfy(a -> assertThat(a.available()).isTrue());
        assertThat(m.artifacts()).filteredOn(a -> !a.optional()).extracting(ExportModel.Artifact::kind)
                .containsExactly(ExportModel.Kind.PLAN, ExportModel.Kind.DL4J_ZIP, ExportModel.Kind.PACKED,
                        ExportModel.Kind.REPORT);
        long withOnnx = m.estimatedBytes();
        m.onnxProperty().set(false);
        ExportModel.Artifact int8 = m.artifacts().stream().filter(a -> a.kind() == ExportModel.Kind.ONNX_INT8)
                .findFirst().orElseThrow();
        assertThat(int8.available()).isFalse();
        assertThat(int8.reason()).contains("ONNX fp32");
        assertThat(m.options().onnx()).isFalse();
        assertThat(m.options().int8()).isFalse();
        assertThat(m.estimatedBytes()).isPositive().isLessThan(withOnnx);
    }

    @Test
    void existingFilesAreNotOverwrittenWithoutConfirmation() throws Exception {
        f = new ViewFixture(dir, true);
        ExportModel m = new ExportModel(f.wb, Runnable::run);
        assertThat(m.export(false)).contains("Choose an output folder");
        Path out = Files.createDirectories(dir.resolve("out"));
        Path plan = out.resolve("tiny-resnet-plan.json");
        Files.writeString(plan, "mine");
        m.folderProperty().set(out);
        assertThat(m.existingFiles()).containsExactly("tiny-resnet-plan.json");
        assertThat(m.export(false)).startsWith("Would overwrite 1 file").contains("tiny-resnet-plan.json");
        assertThat(m.runningProperty().get()).isFalse();
        assertThat(m.handle()).isNull();
        assertThat(Files.readString(plan)).isEqualTo("mine");
    }
}
