package io.lathe.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lathe.data.Augmentation;
import io.lathe.data.Batches;
import io.lathe.data.DataSplits;
import io.lathe.engine.Engine;
import io.lathe.eval.Predictor;
import io.lathe.files.AtomicFiles;
import io.lathe.job.Progress;
import io.lathe.model.ResNetFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a sample ResNet from scratch on the train split with a fixed seed, keeps the epoch with the
 * best validation accuracy, and writes the DL4J zip plus a JSON sidecar describing the run.
 * Recipe (ENGINE-NOTES reference run): Adam with a stepped learning rate, batch 128, L2 5e-5, He init,
 * random shift ±2 px and horizontal flip.
 */
public final class SampleTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SampleTrainer.class);

    /** Settings of one training run. */
    public record Settings(ResNetFactory.Arch arch, int epochs, int batch, long seed, double learningRate,
                           double l2, int limitTrain) {
        public static Settings defaults(ResNetFactory.Arch arch) {
            return new Settings(arch, 10, 128, 42, 2e-3, 5e-5, 0);
        }
    }

    /** Per-epoch record. */
    public record EpochRecord(int epoch, double trainLoss, double validationTop1, double seconds) {
    }

    /** What the run produced. */
    public record Result(Path model, Path sidecar, int bestEpoch, double validationTop1, double testTop1,
                         double wallSeconds, List<EpochRecord> epochs) {
    }

    private SampleTrainer() {
    }

    /** Trains and writes {@code out} (zip) and its sidecar ({@code out} with .json). */
    public static Result train(Settings s, DataSplits data, Path out, String command, Progress progress)
            throws IOException {
        Engine.configure();
        long start = System.nanoTime();
        var train = s.limitTrain() > 0 ? data.train().limit(s.limitTrain()) : data.train();
        int n = train.size();
        int itersPerEpoch = (n + s.batch() - 1) / s.batch();
        int total = itersPerEpoch * s.epochs();
        Map<Integer, Double> lr = new LinkedHashMap<>();
        lr.put(0, s.learningRate());
        lr.put((int) (0.50 * total), s.learningRate() * 0.3);
        lr.put((int) (0.75 * total), s.learningRate() * 0.1);
        lr.put((int) (0.90 * total), s.learningRate() * 0.03);
        Adam adam = new Adam(new MapSchedule(ScheduleType.ITERATION, lr));
        ComputationGraph net = ResNetFactory.build(s.arch(), train.height(), train.width(), train.channels(),
                train.classes(), s.seed(), adam, s.l2());
        Random rnd = new Random(s.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        INDArray best = null;
        double bestVal = -1;
        int bestEpoch = -1;
        List<EpochRecord> records = new ArrayList<>();
        Files.createDirectories(out.toAbsolutePath().getParent());
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            long t0 = System.nanoTime();
            shuffle(order, rnd);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < n; from += s.batch()) {
                progress.checkCancelled();
                int to = Math.min(n, from + s.batch());
                INDArray x = Batches.augmented(train, order, from, to, Augmentation.SAMPLE, rnd);
                INDArray y = Batches.oneHot(train, order, from, to);
                net.fit(new DataSet(x, y));
                lossSum += net.score();
                batches++;
                double done = ((epoch - 1) + (double) to / n) / s.epochs();
                if (batches % 50 == 0) {
                    double sec = (System.nanoTime() - t0) / 1e9;
                    String msg = String.format("epoch %d/%d, %d/%d images, loss %.4f, %.0f img/s", epoch, s.epochs(),
                            to, n, lossSum / batches, to / sec);
                    LOG.info(msg);
                    progress.update(done, msg);
                }
            }
            double val = Predictor.accuracy(Predictor.predict(net, data.validation(), Predictor.DEFAULT_BATCH,
                    Progress.none()), data.validation());
            double sec = (System.nanoTime() - t0) / 1e9;
            records.add(new EpochRecord(epoch, lossSum / batches, val, sec));
            LOG.info(String.format("epoch %d: loss %.4f, validation top-1 %.4f, %.0f s", epoch, lossSum / batches,
                    val, sec));
            if (val > bestVal) {
                bestVal = val;
                bestEpoch = epoch;
                best = net.params().dup();
                writeAtomically(net, out);
            }
        }
        net.setParams(best);
        double test = Predictor.accuracy(Predictor.predict(net, data.test(), Predictor.DEFAULT_BATCH,
                Progress.none()), data.test());
        double wall = (System.nanoTime() - start) / 1e9;
        Path sidecar = sidecarOf(out);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "lathe-sample-sidecar");
        meta.put("architecture", s.arch().key());
        meta.put("description", "ResNet (" + s.arch().blocksPerStage() + " basic blocks per stage, widths 16/32/64, "
                + "BN, global average pool, fc) for " + train.height() + "x" + train.width() + "x" + train.channels());
        meta.put("inputShape", new int[]{train.channels(), train.height(), train.width()});
        meta.put("classes", train.classes());
        meta.put("preprocess", data.preprocessing().toNode());
        meta.put("parameters", net.numParams());
        meta.put("data", Map.of("name", "Fashion-MNIST", "source", data.source(), "trainImages", n,
                "validationImages", data.validation().size(), "testImages", data.test().size(),
                "trainFingerprint", train.fingerprint()));
        meta.put("seed", s.seed());
        meta.put("epochs", s.epochs());
        meta.put("batch", s.batch());
        meta.put("optimizer", "Adam, lr " + s.learningRate() + " x1 / x0.3 at 50% / x0.1 at 75% / x0.03 at 90%");
        meta.put("l2", s.l2());
        meta.put("augmentation", Augmentation.SAMPLE.describe());
        meta.put("bestEpoch", bestEpoch);
        meta.put("validationTop1", bestVal);
        meta.put("testTop1", test);
        meta.put("wallSeconds", Math.round(wall));
        meta.put("engine", Engine.status().toString());
        meta.put("command", command);
        meta.put("history", records);
        AtomicFiles.write(sidecar, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(meta));
        return new Result(out, sidecar, bestEpoch, bestVal, test, wall, records);
    }

    /** The sidecar path of a model file: same name with .json. */
    public static Path sidecarOf(Path model) {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    private static void writeAtomically(ComputationGraph net, Path out) throws IOException {
        AtomicFiles.write(out, stream -> ModelSerializer.writeModel(net, stream, false));
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
