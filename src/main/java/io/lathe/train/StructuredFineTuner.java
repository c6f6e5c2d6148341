package io.lathe.train;

import io.lathe.data.Augmentation;
import io.lathe.data.Batches;
import io.lathe.data.DataSplits;
import io.lathe.data.LabeledImages;
import io.lathe.eval.Predictor;
import io.lathe.files.AtomicFiles;
import io.lathe.job.Progress;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Fine-tunes a network without masks: meant for physically smaller (channel-pruned, factorized) networks
 * and, through an iteration hook, for weight-shared ones. Adam with a stepped learning rate, random
 * the data's augmentation (or the one in the settings) on the train split, validation accuracy after every epoch, and the
 * best validation epoch kept. Never looks at the test split. Engine thread only.
 */
public final class StructuredFineTuner {
    private static final Logger LOG = LoggerFactory.getLogger(StructuredFineTuner.class);

    /**
     * Settings of one run.
     *
     * @param epochs        passes over the train split (fractions allowed: 0.5 = half an epoch)
     * @param batch         images per step
     * @param learningRate  initial Adam learning rate (x0.3 at 50%, x0.1 at 75%, x0.03 at 90% of the steps)
     * @param l2            L2 weight decay
     * @param seed          shuffling and augmentation seed
     * @param limitTrain    use only the first N train images (0 = all)
     * @param checkpoint    where to write the best network so far after each improving epoch, or null
     * @param distillation  distil from a teacher (given to {@link #run}), or null for plain cross-entropy
     */
    public record Settings(double epochs, int batch, double learningRate, double l2, long seed, int limitTrain,
                           java.nio.file.Path checkpoint, Distillation distillation, Augmentation augmentation) {
        /** Settings without a checkpoint file. */
        public Settings(double epochs, int batch, double learningRate, double l2, long seed, int limitTrain) {
            this(epochs, batch, learningRate, l2, seed, limitTrain, null, null, null);
        }

        /** Settings without distillation. */
        public Settings(double epochs, int batch, double learningRate, double l2, long seed, int limitTrain,
                        java.nio.file.Path checkpoint) {
            this(epochs, batch, learningRate, l2, seed, limitTrain, checkpoint, null, null);
        }

        /** The same settings, distilling with {@code d} (null = off). */
        public Settings withDistillation(Distillation d) {
            return new Settings(epochs, batch, learningRate, l2, seed, limitTrain, checkpoint, d, augmentation);
        }

        /** The same settings, varying the training images with {@code a} (null = the data's own). */
        public Settings withAugmentation(Augmentation a) {
            return new Settings(epochs, batch, learningRate, l2, seed, limitTrain, checkpoint, distillation, a);
        }

        /** The augmentation used on {@code data}: the one set here, else the data's own. */
        public Augmentation augmentationFor(DataSplits data) {
            return augmentation != null ? augmentation : data.augmentation();
        }

        public Settings {
            if (!(epochs > 0) || batch < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("epochs and learning rate must be > 0 and batch >= 1");
            }
        }
    }

    /** One epoch's record (the last may be partial). */
    public record EpochRecord(int epoch, double trainLoss, double validationTop1, double seconds) {
    }

    /**
     * What the run produced.
     *
     * @param net            the network with the best validation epoch's weights
     * @param bestEpoch      that epoch (0 = the starting weights were best)
     * @param startTop1      validation top-1 before fine-tuning
     * @param validationTop1 validation top-1 of the kept weights
     * @param history        per-epoch records
     */
    public record Result(ComputationGraph net, int bestEpoch, double startTop1, double validationTop1,
                         List<EpochRecord> history) {
    }

    private StructuredFineTuner() {
    }

    /**
     * Fine-tunes a copy of {@code start}; {@code afterStep}, when given, runs after every parameter update
     * (e.g. to re-share weights) and once before the first step.
     */
    public static Result run(ComputationGraph start, DataSplits data, Settings s, Consumer<ComputationGraph> afterStep,
                             Progress progress) {
        return run(start, null, data, s, afterStep, progress);
    }

    /**
     * Fine-tunes a copy of {@code start}, distilling from {@code teacher} when the settings say so
     * (loss = α·KL(teacher/T ‖ student/T)·T² + (1 − α)·cross-entropy on the same augmented batch).
     */
    public static Result run(ComputationGraph start, ComputationGraph teacher, DataSplits data, Settings s,
                             Consumer<ComputationGraph> afterStep, Progress progress) {
        if (s.distillation() != null && teacher == null) {
            throw new IllegalArgumentException("distillation needs a teacher model");
        }
        LabeledImages train = s.limitTrain() > 0 ? data.train().limit(s.limitTrain()) : data.train();
        Augmentation augmentation = s.augmentationFor(data);
        int n = train.size();
        int stepsPerEpoch = (n + s.batch() - 1) / s.batch();
        int totalSteps = (int) Math.ceil(stepsPerEpoch * s.epochs());
        Map<Integer, Double> lr = new LinkedHashMap<>();
        lr.put(0, s.learningRate());
        lr.put((int) (0.50 * totalSteps), s.learningRate() * 0.3);
        lr.put((int) (0.75 * totalSteps), s.learningRate() * 0.1);
        lr.put((int) (0.90 * totalSteps), s.learningRate() * 0.03);
        ComputationGraph net = new TransferLearning.GraphBuilder(start)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder()
                        .updater(new Adam(new MapSchedule(ScheduleType.ITERATION, lr))).l2(s.l2()).build())
                .build();
        net.getConfiguration().setIterationCount(0);
        net.getConfiguration().setEpochCount(0);
        TeacherLogits teacherLogits = s.distillation() == null ? null : new TeacherLogits(teacher);
        BaseOutputLayer outputConf = (BaseOutputLayer) net.getLayer(net.getConfiguration().getNetworkOutputs().get(0))
                .conf().getLayer();
        ILossFunction originalLoss = outputConf.getLossFn();
        if (teacherLogits != null) {
            outputConf.setLossFn(new DistillationLoss(s.distillation()));
        }
        if (afterStep != null) {
            afterStep.accept(net);
            net.setListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    afterStep.accept(net);
                }
            });
        }
        double startTop1 = top1(net, data.validation());
        LOG.info(String.format("fine-tune start: validation top-1 %.4f, %d steps", startTop1, totalSteps));
        INDArray best = net.params().dup();
        double bestVal = startTop1;
        int bestEpoch = 0;
        Random rnd = new Random(s.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<EpochRecord> history = new ArrayList<>();
        int step = 0;
        for (int epoch = 1; step < totalSteps; epoch++) {
            long t0 = System.nanoTime();
            shuffle(order, rnd);
            double loss = 0;
            int batches = 0;
            for (int from = 0; from < n && step < totalSteps; from += s.batch(), step++) {
                progress.checkCancelled();
                int to = Math.min(n, from + s.batch());
                INDArray x = Batches.augmented(train, order, from, to, augmentation, rnd);
                INDArray y = Batches.oneHot(train, order, from, to);
                net.fit(new DataSet(x, teacherLogits == null ? y : DistillationLoss.labels(y, teacherLogits.logits(x))));
                loss += net.score();
                batches++;
                if (batches % 50 == 0) {
                    String msg = String.format("epoch %d, step %d/%d, loss %.4f", epoch, step + 1, totalSteps,
                            loss / batches);
                    LOG.info(msg);
                    progress.update((step + 1.0) / totalSteps, msg);
                }
            }
            double val = top1(net, data.validation());
            double sec = (System.nanoTime() - t0) / 1e9;
            history.add(new EpochRecord(epoch, loss / Math.max(1, batches), val, sec));
            LOG.info(String.format("epoch %d: loss %.4f, validation top-1 %.4f, %.0f s", epoch,
                    loss / Math.max(1, batches), val, sec));
            if (val > bestVal) {
                bestVal = val;
                bestEpoch = epoch;
                best = net.params().dup();
                if (s.checkpoint() != null) {
                    writeCheckpoint(net, s.checkpoint());
                }
            }
        }
        net.setParams(best);
        net.setListeners();
        outputConf.setLossFn(originalLoss);
        return new Result(net, bestEpoch, startTop1, bestVal, history);
    }

    private static void writeCheckpoint(ComputationGraph net, java.nio.file.Path file) {
        try {
            AtomicFiles.write(file, stream -> org.deeplearning4j.util.ModelSerializer.writeModel(net, stream, false));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static double top1(ComputationGraph net, LabeledImages images) {
        return Predictor.accuracy(Predictor.predict(net, images, Predictor.DEFAULT_BATCH, Progress.none()), images);
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
