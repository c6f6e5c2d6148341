package io.lathe.cli;

import io.lathe.files.Json;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.structure.Factorized;
import io.lathe.compress.QuantSetting;
import io.lathe.data.DataSplits;
import io.lathe.engine.Engine;
import io.lathe.eval.Evaluator;
import io.lathe.job.Progress;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import io.lathe.train.AgpSchedule;
import io.lathe.train.Distillation;
import io.lathe.train.ErkAllocation;
import io.lathe.train.FineTuneResult;
import io.lathe.train.FineTuneSettings;
import io.lathe.train.FineTuneListener;
import io.lathe.train.FineTuner;
import io.lathe.train.FineTuneRecord;
import io.lathe.train.Students;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code finetune}: fine-tunes a compressed model (masks kept, optional AGP, QAT, distillation) and writes it. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a model compressed under a plan on the train split and write the model, its plan "
                + "and a JSON record of the run.")
final class FineTuneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    TrainingOptions training;
    @Mixin
    ModelOptions models;
    @Mixin
    AugmentOptions augment;

    @Option(names = "--plan", description = "Plan file to compress under.")
    Path plan;

    @Option(names = "--target-sparsity", description = "Instead of --plan: global element sparsity split across "
            + "layers by the Erdős–Rényi-kernel rule (small layers denser).")
    Double targetSparsity;

    @Option(names = "--bits", defaultValue = "32", description = "With --target-sparsity: weight bits, per channel "
            + "(32 = off; default ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--epochs", required = true, description = "Passes over the train split.")
    int epochs;

    @Option(names = "--distill", description = "Distil from the uncompressed model (the teacher).")
    boolean distill;

    @Option(names = "--alpha", defaultValue = "0.5", description = "Distillation weight (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--temperature", defaultValue = "4", description = "Distillation temperature (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--student", description = "Train a different network from the teacher instead: resnet8, "
            + "resnet20 (fresh weights) or a DL4J zip. Implies --distill; --plan is then not used.")
    String student;

    @Option(names = "--schedule", defaultValue = "none", description = "none (prune at once) or agp (gradual).")
    String schedule;

    @Option(names = "--start", defaultValue = "0", description = "AGP: first pruning step, in epochs (decimal).")
    double start;

    @Option(names = "--end", description = "AGP: epoch (decimal) at which the targets are reached (default: half the epochs).")
    Double end;

    @Option(names = "--frequency", defaultValue = "50", description = "AGP: steps between mask updates (default ${DEFAULT-VALUE}).")
    long frequency;

    @Option(names = "--qat", description = "Quantization-aware training: forward passes see the quantized weights.")
    boolean qat;

    @Option(names = "--out", required = true, description = "Output model zip; the plan (.plan.json) and run record "
            + "(.json) are written next to it.")
    Path out;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the checkpoint next to --out if there is one.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Engine.configure();
        LoadedModel m = models.loadModel();
        LayerTree tree = LayerTree.of(m);
        DataSplits data = models.loadData(m);
        PlanApplier teacherApplier = new PlanApplier(m, tree);
        LoadedModel studentModel = m;
        PlanApplier applier = teacherApplier;
        Plan p;
        if (student != null) {
            if (plan != null || targetSparsity != null) {
                throw new IllegalArgumentException("--student trains a different network; leave out --plan and --target-sparsity");
            }
            studentModel = Students.load(student, m, training.seed);
            applier = new PlanApplier(studentModel, LayerTree.of(studentModel));
            p = Plan.empty(studentModel.name(), studentModel.sha256());
            distill = true;
        } else if (plan != null && targetSparsity == null) {
            p = ModelOptions.readPlan(plan, m, tree);
        } else if (targetSparsity != null && plan == null) {
            p = ErkAllocation.plan(m.name(), m.sha256(), teacherApplier.originals(), targetSparsity,
                    bits == 32 ? QuantSetting.NONE : QuantSetting.bits(bits));
        } else {
            throw new IllegalArgumentException("give either --plan FILE or --target-sparsity S");
        }
        if (student == null && !p.lowRankLayers().isEmpty()) {
            Factorized.Training tr = Factorized.forTraining(applier, p);
            studentModel = tr.model();
            applier = tr.applier();
            p = tr.plan();
        }
        FineTuneSettings s = new FineTuneSettings(epochs, training.batch, training.lr, training.seed, qat,
                distill ? new Distillation(alpha, temperature) : null, null, checkpointEvery,
                FineTuneRecord.checkpointDir(out), resume, training.limitTrain, augment.augmentation())
                .withDataDefault(data);
        int perEpoch = s.stepsPerEpoch(data.train().size());
        switch (schedule) {
            case "none" -> { }
            case "agp" -> s = s.withSchedule(AgpSchedule.ofEpochs(start, end == null ? epochs / 2.0 : end, frequency,
                    perEpoch));
            default -> throw new IllegalArgumentException("--schedule must be none or agp, got '" + schedule + "'");
        }
        FineTuner job = new FineTuner(applier, p, distill ? m : null, data.train(), data.validation(), s,
                FineTuneListener.none());
        FineTuneResult r = job.run(StderrProgress.every(30));
        double testTop1 = Evaluator.evaluate(r.model(), studentModel, data.test(), Progress.none()).top1();
        double denseTop1 = Evaluator.evaluate(m.graph(), m, data.test(), Progress.none()).top1();
        String command = "java -jar target/lathe.jar " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Map<String, Object> rec = FineTuneRecord.write(out, r, applier, m, models.model, plan, s, testTop1, denseTop1,
                command, student);
        if (common.json) {
            Json.print(rec);
        } else {
            System.out.printf("wrote %s: test top-1 %.2f%% (uncompressed %.2f%%), sparsity %.1f%%, best epoch %d, %.0f s%n",
                    out, 100 * testTop1, 100 * denseTop1, 100 * r.sparsity(), r.bestEpoch(), r.wallSeconds());
        }
        return 0;
    }
}
