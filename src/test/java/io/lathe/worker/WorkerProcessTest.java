package io.lathe.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.Preprocessing;
import io.lathe.model.ModelLoader;
import io.lathe.session.TinyModels;
import io.lathe.train.FineTuneSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Real worker JVMs on the tiny ResNet: a run to its result, a cancel by message, a refused model. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkerProcessTest {
    /** Quick-starting workers with small limits, as the window starts them otherwise (class path, nice). */
    static final WorkerLauncher LAUNCHER = new WorkerLauncher(WorkerLimits.forMachine(4L << 30),
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), true);
    @TempDir
    static Path shared;
    static Path model;
    static Path data;
    static String sha;
    @TempDir
    Path dir;

    @BeforeAll
    static void files() throws Exception {
        model = TinyModels.saveZip(shared);
        data = TinyModels.writeIdx(shared.resolve("data"));
        sha = ModelLoader.sha256(model);
    }

    private FineTuneRequest request(int epochs, String modelSha) {
        Plan plan = Plan.empty("tiny-resnet", sha).withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.5),
                QuantSetting.NONE);
        FineTuneSettings s = FineTuneSettings.defaults().withBudget(epochs, 32, 1e-3, 64);
        return new FineTuneRequest(model, modelSha, null, null, data, Preprocessing.unit(), PlanJson.write(plan), s,
                null, dir.resolve("out/tiny-ft.zip"), dir.resolve("out/checkpoints/tiny"), false);
    }

    /** Collects a worker's lines and its end; {@code onStep} sees each step line as it arrives. */
    private static final class Collector implements WorkerProcess.Listener {
        final List<JsonNode> lines = new CopyOnWriteArrayList<>();
        final CompletableFuture<WorkerExit> exit = new CompletableFuture<>();
        final Consumer<JsonNode> onStep;

        Collector(Consumer<JsonNode> onStep) {
            this.onStep = onStep;
        }

        @Override
        public void message(JsonNode message) {
            lines.add(message);
            if (WorkerProtocol.STEP.equals(message.path("type").asText())) {
                onStep.accept(message);
            }
        }

        @Override
        public void exited(WorkerExit e) {
            exit.complete(e);
        }

        long count(String type) {
            return lines.stream().filter(n -> type.equals(n.path("type").asText())).count();
        }
    }

    @Test
    void aWorkerFineTunesATinyModelStreamsProgressAndReturnsItsFiles() throws Exception {
        Collector c = new Collector(n -> { });
        WorkerProcess w = LAUNCHER.start(request(2, sha).toJson(), dir.resolve("work"), c);
        WorkerExit exit = c.exit.get(80, TimeUnit.SECONDS);
        System.out.printf("worker start-up (first line) %.2f s, whole run %.2f s%n", exit.startupSeconds(),
                exit.seconds());
        assertThat(exit.terminalType()).as(String.join("\n", exit.lastLines())).isEqualTo(WorkerProtocol.RESULT);
        assertThat(exit.exitCode()).isZero();
        assertThat(c.count(WorkerProtocol.STEP)).isEqualTo(4);
        assertThat(c.count(WorkerProtocol.EPOCH)).isEqualTo(2);
        assertThat(c.count(WorkerProtocol.PROGRESS)).isPositive();
        var o = WorkerProtocol.readResult(exit.terminal());
        assertThat(o.modelFile()).exists();
        assertThat(o.planFile()).exists();
        assertThat(Files.readString(o.recordFile())).contains("\"testTop1\"");
        assertThat(o.sparsity()).isCloseTo(0.5, within(0.02));
        assertThat(o.bestEpoch()).isBetween(1, 2);
        assertThat(Files.readAllLines(w.logFile()).get(0)).startsWith("lathe worker: heap 1.0 GB, off-heap 1.6 GB")
                .endsWith(", nice 10");
        assertThat(exit.crashLog()).isEmpty();
    }

    @Test
    void aCancelMessageStopsTheWorkerAtItsNextStep() throws Exception {
        CompletableFuture<Long> cancelledAt = new CompletableFuture<>();
        WorkerProcess[] w = new WorkerProcess[1];
        Collector c = new Collector(n -> {
            if (!cancelledAt.isDone()) {
                cancelledAt.complete(System.nanoTime());
                w[0].cancel(Duration.ofSeconds(10));
            }
        });
        w[0] = LAUNCHER.start(request(100, sha).toJson(), dir.resolve("work"), c);
        WorkerExit exit = c.exit.get(80, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - cancelledAt.get()) / 1e9;
        System.out.printf("cancel message to worker exit: %.2f s%n", seconds);
        assertThat(exit.terminalType()).as(String.join("\n", exit.lastLines())).isEqualTo(WorkerProtocol.CANCELLED);
        assertThat(exit.forced()).isFalse();
        assertThat(exit.exitCode()).isZero();
        assertThat(c.count(WorkerProtocol.STEP)).isLessThan(200);
        assertThat(seconds).isLessThan(10);
    }

    @Test
    void aWorkerGivenAnotherModelRefusesInOneLine() throws Exception {
        Collector c = new Collector(n -> { });
        LAUNCHER.start(request(1, "00".repeat(32)).toJson(), dir.resolve("work"), c);
        WorkerExit exit = c.exit.get(80, TimeUnit.SECONDS);
        assertThat(exit.exitCode()).isEqualTo(FineTuneWorker.REFUSED);
        assertThat(c.lines).filteredOn(n -> !WorkerProtocol.PROGRESS.equals(n.path("type").asText()))
                .singleElement().satisfies(n -> {
                    assertThat(n.path("type").asText()).isEqualTo(WorkerProtocol.ERROR);
                    assertThat(n.path("message").asText()).startsWith("refused: the model file")
                            .contains("SHA-256 " + sha.substring(0, 12)).contains("000000000000");
                });
        assertThat(dir.resolve("out/tiny-ft.zip")).doesNotExist();
    }

    @Test
    void aWorkerThatCrashesNativelyIsReportedAsDeadWithItsCrashLog() throws Exception {
        WorkerProcess[] w = new WorkerProcess[1];
        Collector c = new Collector(n -> {
            if (n.path("step").asLong() == 1) {
                try {
                    // What a fault in libnd4jcpu looks like to the JVM: a SIGSEGV it did not expect.
                    new ProcessBuilder("kill", "-SEGV", String.valueOf(w[0].pid())).inheritIO().start().waitFor();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        w[0] = LAUNCHER.start(request(100, sha).toJson(), dir.resolve("work"), c);
        WorkerExit exit = c.exit.get(80, TimeUnit.SECONDS);
        assertThat(exit.died()).isTrue();
        assertThat(exit.crashLog()).isPresent();
        assertThat(exit.crashLog().get().getParent()).isEqualTo(dir.resolve("work"));
        // Without a core dump (-XX:-CreateCoredumpOnCrash) the JVM ends a crash with exit code 1, not SIGABRT.
        assertThat(exit.cause()).contains("a native crash; the JVM's crash log is " + dir.resolve("work"))
                .doesNotContain("out of memory");
        assertThat(exit.lastLines()).anySatisfy(l -> assertThat(l).contains("SIGSEGV"));
    }
}
