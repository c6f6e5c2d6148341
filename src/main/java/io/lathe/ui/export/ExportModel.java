package io.lathe.ui.export;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.export.ExportOptions;
import io.lathe.export.ExportResult;
import io.lathe.job.JobHandle;
import io.lathe.session.ExportService;
import io.lathe.session.Workspace;
import io.lathe.ui.LatestJob;
import io.lathe.ui.WorkbenchModel;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The Export dialog's state and commands: which artifacts are written (unavailable ones with the
 * reason), the output folder, the files that would be overwritten (the view asks first), a live size
 * estimate, the export job with progress and cancel, and the verification table. FX thread.
 */
public final class ExportModel {
    /** The artifacts the dialog lists. */
    public enum Kind { PLAN, DL4J_ZIP, PACKED, ONNX_FP32, ONNX_INT8, REPORT }

    /**
     * One artifact row.
     *
     * @param kind      which artifact
     * @param label     what the dialog calls it
     * @param available false when it cannot be written now (greyed)
     * @param optional  true when the user may leave it out
     * @param reason    why it is unavailable or why it is always written
     */
    public record Artifact(Kind kind, String label, boolean available, boolean optional, String reason) {
    }

    private final WorkbenchModel wb;
    private final LatestJob<ExportResult> job;
    private final BooleanProperty onnx = new SimpleBooleanProperty(this, "onnx", true);
    private final BooleanProperty int8 = new SimpleBooleanProperty(this, "int8", true);
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>(this, "folder");
    private final ReadOnlyObjectWrapper<ExportResult> result = new ReadOnlyObjectWrapper<>(this, "result");

    public ExportModel(WorkbenchModel wb, Executor fx) {
        this.wb = wb;
        this.job = new LatestJob<>(wb.runner(), fx, wb.errors());
    }

    /** Why nothing can be exported now, or null. */
    public String unavailableReason() {
        return ExportService.unavailableReason(wb.workspace());
    }

    /** The artifact rows with their availability. */
    public List<Artifact> artifacts() {
        String all = unavailableReason();
        boolean ok = all == null;
        String always = "always written: the verification table and the report are built from it";
        List<Artifact> out = new ArrayList<>();
        out.add(new Artifact(Kind.PLAN, "Plan file (JSON, with the model fingerprint)", ok, false, ok ? always : all));
        out.add(new Artifact(Kind.DL4J_ZIP, "Compressed DL4J model (zip; BatchNorm kept, and folded)", ok, false,
                ok ? always : all));
        out.add(new Artifact(Kind.PACKED, "Packed .lathe file (sparse + quantized codes, entropy-coded)", ok, false,
                ok ? always : all));
        out.add(new Artifact(Kind.ONNX_FP32, "ONNX fp32 (BatchNorm folded, checked in ONNX Runtime)", ok, true,
                ok ? "optional" : all));
        boolean int8Ok = ok && onnx.get();
        out.add(new Artifact(Kind.ONNX_INT8, "ONNX INT8 (QuantizeLinear/DequantizeLinear, calibrated on validation)",
                int8Ok, true, !ok ? all : int8Ok ? "optional" : "needs the ONNX fp32 model: tick ONNX fp32 first"));
        out.add(new Artifact(Kind.REPORT, "Report (HTML with charts, CSV)", ok, false, ok ? always : all));
        return out;
    }

    /** The export options the current choices mean. */
    public ExportOptions options() {
        ExportOptions d = ExportOptions.defaults();
        return new ExportOptions(onnx.get(), onnx.get() && int8.get(), d.calibrationImages(), d.latencyBatch(),
                d.latencyRepeats(), d.testLimit());
    }

    /** Files of this export that already exist in the chosen folder (the view asks before overwriting them). */
    public List<String> existingFiles() {
        Workspace ws = wb.workspace();
        return ws == null || folder.get() == null ? List.of() : ExportService.existing(ws, options(), folder.get());
    }

    /**
     * Estimated bytes of the chosen artifacts (labelled as an estimate): the packed file from the size
     * model, the DL4J zip and the fp32 ONNX at 4 bytes a parameter, INT8 ONNX at one byte a weight plus
     * 4 bytes for every other parameter, the plan's exact text length. Zero without a workspace.
     */
    public long estimatedBytes() {
        Workspace ws = wb.workspace();
        Plan p = wb.editor().plan();
        if (ws == null || p == null || unavailableReason() != null) {
            return 0;
        }
        ModelStats s = ws.stats(p);
        long params = ExportService.parameters(ws);
        long total = PlanJson.write(p).length() + 2 * 4 * params + 2 * s.sizeBytes();
        if (onnx.get()) {
            total += 4 * params;
            if (int8.get()) {
                total += s.weightParams() + 4 * (params - s.weightParams());
            }
        }
        return total;
    }

    /** Estimated size of the packed file (the honest compressed size), from the size model. */
    public long estimatedPackedBytes() {
        Workspace ws = wb.workspace();
        Plan p = wb.editor().plan();
        return ws == null || p == null ? 0 : ws.stats(p).sizeBytes();
    }

    /**
     * Starts the export. Returns a message instead when it cannot start: no folder, nothing to
     * export, or files that would be overwritten without {@code overwriteConfirmed}.
     */
    public String export(boolean overwriteConfirmed) {
        String why = unavailableReason();
        if (why != null) {
            return "Cannot export: " + why;
        }
        if (folder.get() == null) {
            return "Choose an output folder first";
        }
        if (job.isRunning()) {
            return "An export is already running";
        }
        List<String> existing = existingFiles();
        if (!existing.isEmpty() && !overwriteConfirmed) {
            return "Would overwrite " + existing.size() + " file(s): " + String.join(", ", existing);
        }
        Workspace ws = wb.workspace();
        result.set(null);
        job.setStatus("exporting to " + folder.get());
        job.start("Export", ExportService.job(ws, wb.editor().plan(), folder.get(), !existing.isEmpty(), options()),
                r -> {
                    result.set(r);
                    job.setStatus(r.passed() ? "export written and verified"
                            : "export written; some checks failed (see the table)");
                },
                t -> job.setStatus("export failed: nothing was written (" + t.getMessage() + ")"),
                () -> job.setStatus("export cancelled: nothing was written"));
        return null;
    }

    /** Cancels the running export (staged files are removed). */
    public void cancel() {
        job.cancel();
    }

    /** The running export's job handle (progress, ETA), or null. */
    public JobHandle<ExportResult> handle() {
        return job.handle();
    }

    public BooleanProperty onnxProperty() {
        return onnx;
    }

    public BooleanProperty int8Property() {
        return int8;
    }

    public ObjectProperty<Path> folderProperty() {
        return folder;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return job.runningProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return job.statusProperty();
    }

    /** Fraction of the running export done (1 once it succeeded). */
    public ReadOnlyDoubleProperty fractionProperty() {
        return job.fractionProperty();
    }

    /** What the running export is doing ("" when none runs). */
    public ReadOnlyStringProperty messageProperty() {
        return job.messageProperty();
    }

    /** " — about … left" for the running export, or "". */
    public String etaText() {
        return job.etaText();
    }

    public ReadOnlyObjectProperty<ExportResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public WorkbenchModel workbench() {
        return wb;
    }
}
