package io.lathe.ui;

import io.lathe.export.OnnxExporter;
import io.lathe.session.TinyModels;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.lathe.ui.FlowFixture.leaves;
import static io.lathe.ui.FlowFixture.onFx;
import static io.lathe.ui.FlowFixture.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/** Headless flow: an ONNX file dropped on the window opens and previews; a Keras 3 file after it is refused. */
class ImportedModelFlowTest {
    private static FlowFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = FlowFixture.start("lathe-import-flow", false);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.stop();
    }

    @Test
    void anOnnxFileOpensWithItsCheckAndAKeras3FileAfterItLeavesItUsable() throws Exception {
        WorkbenchApp app = fixture.app();
        double zipTop1 = app.model().baselineProperty().get().top1();
        int[] chw = TinyModels.model().inputShape();
        Path onnx = Files.write(fixture.dir().resolve("tiny.onnx"), OnnxExporter.fp32(TinyModels.graph(), chw, "test"));
        fixture.robot().interact(() -> app.view().files().open(onnx));
        waitFor(60, () -> onFx(() -> app.model().workspace() != null && "onnx".equals(app.model().workspace().format())
                && app.model().baselineProperty().get() != null));
        var ws = app.model().workspace();
        assertThat(ws.notes()).anyMatch(n -> n.startsWith("Checked against ONNX Runtime"));
        int layers = onFx(() -> leaves(fixture.tree().getRoot()).size());
        assertThat(layers).isEqualTo(ws.tree().layers().size());
        assertThat(onFx(() -> app.model().baselineProperty().get().top1()))
                .as("the imported network predicts like the one it was exported from")
                .isCloseTo(zipTop1, org.assertj.core.api.Assertions.within(0.002));

        Path keras3 = fixture.dir().resolve("new.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(keras3))) {
            z.putNextEntry(new ZipEntry("config.json"));
            z.write("{\"module\": \"keras\", \"class_name\": \"Functional\"}".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("metadata.json"));
            z.write("{\"keras_version\": \"3.3.3\"}".getBytes(StandardCharsets.UTF_8));
        }
        fixture.robot().interact(() -> app.view().files().open(keras3));
        waitFor(30, () -> onFx(() -> Window.getWindows().stream().anyMatch(w -> w.getScene() != null
                && w.getScene().getRoot() instanceof DialogPane)));
        DialogPane dialog = onFx(() -> (DialogPane) Window.getWindows().stream().filter(w -> w.getScene() != null
                && w.getScene().getRoot() instanceof DialogPane).findFirst().orElseThrow().getScene().getRoot());
        assertThat(((Label) dialog.lookup("#error-reason")).getText()).contains("Keras 3").contains("tf.keras 2.x");
        fixture.robot().interact(() -> ((Stage) dialog.getScene().getWindow()).close());
        assertThat(app.model().workspace()).isSameAs(ws);
    }
}
