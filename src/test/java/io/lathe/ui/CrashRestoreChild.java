package io.lathe.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.compress.PlanJson;
import io.lathe.files.AtomicFiles;
import io.lathe.session.TinyModels;
import javafx.application.Platform;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link CrashRestoreProcessTest}: starts the real workbench window headless on the tiny
 * model. {@code edit DIR} makes a series of edits through the view model, ending with a slider drag that
 * is never released, writes the resulting plan to {@code DIR/expected.json} and waits to be killed.
 * {@code restore DIR} starts the window again and writes what it restored to {@code DIR/restored.json}.
 */
public final class CrashRestoreChild {
    private CrashRestoreChild() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        String mode = args[0];
        Path dir = Path.of(args[1]);
        Path zip = dir.resolve("tiny-resnet.zip");
        if (!Files.exists(zip)) {
            TinyModels.saveZip(dir);
            TinyModels.writeIdx(dir.resolve("data"));
        }
        step(t0, "model and data ready");
        FxToolkit.registerPrimaryStage();
        WorkbenchApp app = (WorkbenchApp) FxToolkit.setupApplication(WorkbenchApp.class, zip.toString());
        System.gc();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> app.model().workspace() != null);
        System.gc();
        step(t0, "model open in the window");
        if (mode.equals("edit")) {
            String plan = onFx(() -> {
                WorkbenchModel m = app.model();
                m.setUniformSparsity(0.2, false);
                m.setDefaultBits(6);
                m.setUniformSparsity(0.3, true);
                m.setUniformSparsity(0.4, true);
                m.endUniformDrag();
                m.setDefaultBits(4);
                m.editor().undo();
                m.setUniformSparsity(0.5, true);
                m.setUniformSparsity(0.55, true);
                return PlanJson.write(m.editor().plan());
            });
            AtomicFiles.writeString(dir.resolve("expected.json"), plan);
            step(t0, "edited");
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            System.exit(3);
        }
        Map<String, Object> out = onFx(() -> {
            WorkbenchModel m = app.model();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("plan", PlanJson.write(m.editor().plan()));
            o.put("dirty", m.editor().dirtyProperty().get());
            o.put("notices", new ArrayList<>(m.planFiles().notices()));
            javafx.scene.control.ListView<?> shown = (javafx.scene.control.ListView<?>) app.view().lookup("#messages-list");
            o.put("messages", shown.getItems().stream().map(x -> ((JobsPane.Message) x).reason()).toList());
            return o;
        });
        AtomicFiles.write(dir.resolve("restored.json"), new ObjectMapper().writeValueAsBytes(out));
        step(t0, "restored");
        Platform.exit();
        System.exit(0);
    }

    private static void step(long t0, String what) {
        System.out.printf("%.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) {
        return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(c));
    }
}
