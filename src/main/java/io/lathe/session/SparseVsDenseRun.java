package io.lathe.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lathe.files.AtomicFiles;
import io.lathe.job.Job;
import io.lathe.job.Progress;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;
import io.lathe.train.FineTuneListener;
import io.lathe.train.FineTuneSettings;
import io.lathe.train.SparseVsDense;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The large-sparse versus small-dense experiment on a workspace's model, as a job for the workbench:
 * loads the small dense model, prunes the workspace's model to its non-zero count and fine-tunes both
 * with the same budget ({@link SparseVsDense}), then writes the result as JSON (as the CLI
 * {@code sparse-vs-dense --out} does). Test top-1 is measured before and after; the loaded model is
 * never changed. Plain Lathe types only.
 */
public final class SparseVsDenseRun implements Job<SparseVsDenseRun.Outcome> {
    private final Workspace ws;
    private final Path smallFile;
    private final FineTuneSettings budget;
    private final Path out;
    private final FineTuneListener listener;
    private final Consumer<SparseVsDense.Point> onPoint;

    /**
     * What the experiment measured.
     *
     * @param result     the experiment's points and histories
     * @param largeName  the workspace's model
     * @param smallName  the small dense model
     * @param testImages images in the test split the points were measured on
     * @param recordFile where the JSON record was written
     */
    public record Outcome(SparseVsDense.Result result, String largeName, String smallName, int testImages,
                          Path recordFile) {
    }

    /**
     * @param ws        the workspace (needs data); its model is the large one
     * @param smallFile the small dense model (DL4J zip)
     * @param budget    epochs, batch, rate and train limit for both models
     * @param out       where the JSON record goes
     * @param listener  per-step and per-epoch figures of both fine-tunes (large first), on the engine thread
     * @param onPoint   each chart point as soon as it is measured, on the engine thread
     */
    public SparseVsDenseRun(Workspace ws, Path smallFile, FineTuneSettings budget, Path out, FineTuneListener listener,
                            Consumer<SparseVsDense.Point> onPoint) {
        if (ws.data() == null) {
            throw new IllegalStateException(ws.dataProblem());
        }
        this.ws = ws;
        this.smallFile = smallFile;
        this.budget = budget;
        this.out = out.toAbsolutePath();
        this.listener = listener;
        this.onPoint = onPoint;
    }

    /** Training steps per epoch for each of the two models. */
    public int stepsPerEpoch() {
        return budget.stepsPerEpoch(ws.data().train().size());
    }

    @Override
    public Outcome run(Progress progress) throws Exception {
        if (!Files.isRegularFile(smallFile)) {
            throw new IllegalArgumentException("the small model " + smallFile + " does not exist; pick a DL4J zip");
        }
        progress.update(0, "reading the small model " + smallFile.getFileName());
        LoadedModel small = ModelLoader.load(smallFile);
        if (small.sha256().equals(ws.sha256())) {
            throw new IllegalArgumentException("the small model is the open model itself; pick a smaller network, "
                    + "e.g. the bundled ResNet-8");
        }
        SparseVsDense.Result r = new SparseVsDense(ws.model(), small, ws.data(), budget, listener, onPoint)
                .run(progress.range(0.01, 0.99));
        progress.checkCancelled();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("large", ws.modelName());
        o.put("largeFile", ws.origin());
        o.put("small", small.name());
        o.put("smallFile", smallFile.toAbsolutePath().toString());
        o.put("largeWeights", r.largeWeights());
        o.put("smallNonZero", r.smallNonZero());
        o.put("largeSparsity", r.largeSparsity());
        o.put("epochs", budget.epochs());
        o.put("limitTrain", budget.limitTrain());
        o.put("batch", budget.batch());
        o.put("learningRate", budget.learningRate());
        o.put("seed", budget.seed());
        o.put("testImages", ws.data().test().size());
        o.put("points", r.points());
        o.put("largeHistory", r.largeHistory());
        o.put("smallHistory", r.smallHistory());
        o.put("wallSeconds", Math.round(r.wallSeconds()));
        o.put("command", "workbench Fine-tune tab, large-sparse vs small-dense");
        AtomicFiles.write(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(o));
        return new Outcome(r, ws.modelName(), small.name(), ws.data().test().size(), out);
    }
}
