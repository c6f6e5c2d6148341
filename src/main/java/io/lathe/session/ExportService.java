package io.lathe.session;

import io.lathe.compress.Plan;
import io.lathe.export.ExportJob;
import io.lathe.export.ExportOptions;
import io.lathe.export.ExportResult;
import io.lathe.job.Job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The verified export of a workspace's model under a plan, for the workbench's Export dialog: which
 * file names it writes, which of them already exist, why an export is impossible, and the job itself.
 * Plain Lathe types only.
 */
public final class ExportService {
    private ExportService() {
    }

    /** Why the workspace cannot be exported at all, or null when it can. */
    public static String unavailableReason(Workspace ws) {
        if (ws == null) {
            return "open a model first";
        }
        if (ws.data() == null) {
            return "the export measures every artifact on the test split: open data that fits the model ("
                    + ws.dataProblem() + ")";
        }
        if (ws.model().channelsLast()) {
            return "export supports NCHW models; this model expects NHWC (channels-last) input";
        }
        return null;
    }

    /** The file names the export writes with these options. */
    public static List<String> fileNames(Workspace ws, ExportOptions options) {
        return ExportJob.fileNames(ws.modelName(), options);
    }

    /** The files of this export that already exist in {@code folder}. */
    public static List<String> existing(Workspace ws, ExportOptions options, Path folder) {
        List<String> out = new ArrayList<>();
        if (folder == null) {
            return out;
        }
        for (String n : fileNames(ws, options)) {
            if (Files.exists(folder.resolve(n))) {
                out.add(n);
            }
        }
        return out;
    }

    /** Parameters of the loaded model (for size estimates of the fp32 artifacts). */
    public static long parameters(Workspace ws) {
        return ws.model().parameterCount();
    }

    /** The export job: writes, reloads and verifies every artifact (atomic; nothing left on failure). */
    public static Job<ExportResult> job(Workspace ws, Plan plan, Path folder, boolean overwrite, ExportOptions options) {
        String why = unavailableReason(ws);
        if (why != null) {
            throw new IllegalStateException(why);
        }
        return new ExportJob(ws.model(), ws.tree(), plan, ws.data(), folder, overwrite, options);
    }
}
