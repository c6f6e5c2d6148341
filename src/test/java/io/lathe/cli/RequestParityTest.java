package io.lathe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.compress.Granularity;
import io.lathe.compress.PlanJson;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.compress.Plan;
import io.lathe.engine.Engine;
import io.lathe.job.Progress;
import io.lathe.model.ResNetFactory;
import io.lathe.sensitivity.LayerCurve;
import io.lathe.sensitivity.SweepSpec;
import io.lathe.session.EvaluateRequest;
import io.lathe.session.EvaluateResult;
import io.lathe.session.LocalRunner;
import io.lathe.session.Request;
import io.lathe.session.Requests;
import io.lathe.session.SensitivityService;
import io.lathe.session.SweepRequest;
import io.lathe.session.SweepResult;
import io.lathe.session.Workspace;
import io.lathe.worker.WorkerLauncher;
import io.lathe.worker.WorkerLimits;
import io.lathe.worker.WorkerRunner;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jobs as data: the command line and the window build the same request for the same work, and it gives
 * the same result (evaluation and a sensitivity sweep on a tiny model and an image folder).
 */
class RequestParityTest {
    @TempDir
    static Path dir;
    private static Path model;
    private static Path data;
    private static Workspace window;

    @BeforeAll
    static void prepare() throws Exception {
        Engine.configure();
        ComputationGraph g = ResNetFactory.build(1, new int[]{4, 8, 8}, 12, 12, 3, 3, 5, null, 0);
        model = dir.resolve("tiny.zip");
        ModelSerializer.writeModel(g, model.toFile(), false);
        data = dir.resolve("images");
        Random r = new Random(3);
        for (String split : List.of("train", "test")) {
            for (int c = 0; c < 3; c++) {
                Path folder = data.resolve(split).resolve("class" + c);
                Files.createDirectories(folder);
                for (int i = 0; i < 20; i++) {
                    BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 12; y++) {
                        for (int x = 0; x < 12; x++) {
                            int v = r.nextInt(256);
                            img.setRGB(x, y, (c == 0 ? v : 0) << 16 | (c == 1 ? v : 0) << 8 | (c == 2 ? v : 0));
                        }
                    }
                    ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        window = Workspace.open(model, data, null, null, sha -> Optional.empty(), Progress.none());
    }

    @Test
    void evaluationOfAPlanGivesTheSameResultFromTheCommandLineAndFromTheWindow() throws Exception {
        Plan plan = window.emptyPlan().withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.6), QuantSetting.bits(4));
        Path planFile = dir.resolve("p.plan.json");
        Files.writeString(planFile, PlanJson.write(plan));
        JsonNode cli = CliJson.run("eval", "--model", model.toString(), "--data", data.toString(), "--plan", planFile.toString(),
                "--split", "test", "--json");

        EvaluateRequest request = EvaluateRequest.of(window, plan, "test");
        EvaluateResult fromWindow = LocalRunner.on(window).run(request, Progress.none());
        assertThat(fromWindow.images()).isEqualTo(60).isEqualTo(cli.get("images").asInt());
        assertThat(fromWindow.top1()).isEqualTo(cli.get("top1").asDouble());
        assertThat(fromWindow.nonZeroParams()).isEqualTo(cli.get("nonZeroParams").asLong());
        assertThat(new ObjectMapper().readTree(Requests.resultJson(fromWindow.confusion()))).isEqualTo(cli.get("confusion"));

        // the request travels as JSON and, opened afresh (as a worker would), gives the same figures
        Request<?> back = Requests.fromJson(Requests.toJson(request));
        assertThat(Requests.toJson(back)).isEqualTo(Requests.toJson(request));
        EvaluateResult fresh = (EvaluateResult) LocalRunner.opening().run(back, Progress.none());
        assertThat(fresh.top1()).isEqualTo(fromWindow.top1());
        assertThat(fresh.confusion()).isDeepEqualTo(fromWindow.confusion());
        EvaluateResult read = Requests.resultFromJson(Requests.resultJson(fresh), EvaluateResult.class);
        assertThat(read.top1()).isEqualTo(fresh.top1());
        assertThat(read.perClass()).containsExactly(fresh.perClass());
    }

    @Test
    void aSensitivitySweepGivesTheSameCurvesFromTheCommandLineAndFromTheWindow() throws Exception {
        Path cliStore = dir.resolve("cli-store");
        Path windowStore = dir.resolve("window-store");
        List<String> layers = List.of("stage1.block0.conv1", "fc");
        JsonNode cli = CliJson.run("sensitivity", "--model", model.toString(), "--data", data.toString(), "--cache",
                cliStore.toString(), "--layers", String.join(",", layers), "--sparsities", "0,0.5,0.9", "--bits", "4,2",
                "--json");

        SweepSpec spec = new SweepSpec(layers, new double[]{0, 0.5, 0.9}, new int[]{4, 2}, Granularity.ELEMENT, "1x4",
                null);
        var curves = new SensitivityService(windowStore).sweep(window, spec, c -> { }).run(Progress.none());
        assertThat(cli.get("baselineTop1").asDouble()).isEqualTo(curves.baseline());
        for (int i = 0; i < layers.size(); i++) {
            LayerCurve c = curves.layers().get(i);
            JsonNode row = cli.get("layers").get(i);
            assertThat(row.get("name").asText()).isEqualTo(c.layer());
            assertThat(row.get("sparsity").get("0.5").asDouble()).isEqualTo(c.sparsity().get(0.5));
            assertThat(row.get("sparsity").get("0.9").asDouble()).isEqualTo(c.sparsity().get(0.9));
            assertThat(row.get("bits").get("2").asDouble()).isEqualTo(c.bits().get(2));
        }

        // the window's request, sent as JSON and pointed at the command line's store, finds the same points there
        // (same model, data fingerprint and kind)
        SweepRequest windowRequest = SweepRequest.of(window, spec, cliStore.toString(), null);
        SweepResult again = LocalRunner.opening().run(Requests.fromJson(Requests.toJson(windowRequest)),
                Progress.none()) instanceof SweepResult s ? s : null;
        assertThat(again).isNotNull();
        assertThat(again.curves().layers()).isEqualTo(curves.layers());
        SweepResult read = Requests.resultFromJson(Requests.resultJson(again), SweepResult.class);
        assertThat(read.curves().layers()).isEqualTo(curves.layers());
    }

    private static final WorkerRunner WORKER = new WorkerRunner(new WorkerLauncher(WorkerLimits.forMachine(4L << 30),
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), true), workRoot());

    private static Path workRoot() {
        try {
            return Files.createTempDirectory("lathe-request-workers");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theSameRequestInAWorkerProcessGivesTheSameResult() throws Exception {
        Plan plan = window.emptyPlan().withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), QuantSetting.bits(3));
        EvaluateRequest request = EvaluateRequest.of(window, plan, "test");
        EvaluateResult here = LocalRunner.on(window).run(request, Progress.none());
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        EvaluateResult there = WORKER.run(request, null, new Progress() {
            @Override
            public void update(double fraction, String message) {
                seen.add(message);
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        });
        assertThat(there.top1()).isEqualTo(here.top1());
        assertThat(there.confusion()).isDeepEqualTo(here.confusion());
        assertThat(there.nonZeroParams()).isEqualTo(here.nonZeroParams());
        assertThat(seen).anyMatch(m -> m.contains("opening"));
    }

    @Test
    void aWorkerKilledInTheMiddleOfARequestIsReportedWithItsCauseAndTheCallerGoesOn() throws Exception {
        SweepSpec spec = SweepSpec.defaults(window.tree());
        SweepRequest request = SweepRequest.of(window, spec, dir.resolve("killed-store").toString(), null);
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger updates = new java.util.concurrent.atomic.AtomicInteger();
        Progress killer = new Progress() {
            @Override
            public void update(double fraction, String message) {
                if (updates.incrementAndGet() == 3 && killed.compareAndSet(false, true)) {
                    ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
                }
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        assertThatThrownBy(() -> WORKER.run(request, null, killer))
                .isInstanceOf(io.lathe.worker.WorkerException.class).hasMessageContaining("SIGKILL");
        assertThat(killed).isTrue();
        EvaluateResult next = LocalRunner.on(window).run(EvaluateRequest.of(window, window.emptyPlan(), "val"),
                Progress.none());
        assertThat(next.images()).isPositive();
    }

    @Test
    void aMalformedRequestIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> Requests.fromJson("{\"kind\":\"defrost\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defrost");
        String ok = Requests.toJson(EvaluateRequest.of(window, window.emptyPlan(), "val"));
        assertThatThrownBy(() -> Requests.fromJson(ok.replace("\"limit\"", "\"limmit\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limmit");
        assertThatThrownBy(() -> Requests.fromJson(ok.replace("\"split\":\"val\"", "\"split\":\"holdout\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holdout");
    }
}
