package io.lathe.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanJson;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.data.Augmentation;
import io.lathe.data.Preprocessing;
import io.lathe.session.FineTuneRun;
import io.lathe.train.AgpSchedule;
import io.lathe.train.Distillation;
import io.lathe.train.FineTuneListener.EpochRecord;
import io.lathe.train.FineTuneListener.StepUpdate;
import io.lathe.train.FineTuneSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerProtocolTest {
    private static final String SHA = "ab".repeat(32);

    private static FineTuneRequest request(FineTuneSettings s, String plan, String student) {
        Preprocessing p = Preprocessing.fromJson("{\"scale\": 0.0039, \"mean\": [0.5], \"std\": [0.25], \"crop\": 24}");
        return new FineTuneRequest(Path.of("/models/m.zip"), SHA, Path.of("/models/parent.zip"), "cd".repeat(32),
                Path.of("/data/fashion"), p, plan, s, student, Path.of("/out/m-ft.zip"), Path.of("/out/checkpoints/m-1"),
                true);
    }

    @Test
    void aRequestSurvivesItsJsonLineWithEverySetting() {
        Plan plan = Plan.empty("m", SHA).withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), QuantSetting.bits(4));
        FineTuneSettings s = new FineTuneSettings(3, 64, 2e-3, 7, true, new Distillation(0.7, 4),
                new AgpSchedule(10, 90, 5), 50, null, false, 1000, Augmentation.SAMPLE);
        FineTuneRequest r = request(s, PlanJson.write(plan), null);
        String line = r.toJson();
        assertThat(line).doesNotContain("\n");
        FineTuneRequest back = FineTuneRequest.fromJson(line);
        assertThat(back).isEqualTo(r);
        assertThat(back.settings().augmentation()).isSameAs(Augmentation.SAMPLE);
        assertThat(WorkerJson.parse(line).path("settings").path("augmentation").asText()).isEqualTo("shift2-flip");
        assertThat(back.preprocessing().crop()).isEqualTo(24);
    }

    @Test
    void aRequestWithoutOptionalPartsKeepsThemUnset() {
        FineTuneRequest r = new FineTuneRequest(Path.of("/m.zip"), SHA, null, null, null, Preprocessing.unit(), null,
                FineTuneSettings.defaults(), "resnet8", Path.of("/out.zip"), Path.of("/cp"), false);
        FineTuneRequest back = FineTuneRequest.fromJson(r.toJson());
        assertThat(back).isEqualTo(r);
        assertThat(back.settings().distillation()).isNull();
        assertThat(back.settings().schedule()).isNull();
        assertThat(back.settings().augmentation()).isNull();
    }

    @Test
    void aRequestMissingItsModelIsRefusedByFieldName() {
        String line = request(FineTuneSettings.defaults(), null, null).toNode().without("modelSha256").toString();
        assertThatThrownBy(() -> FineTuneRequest.fromJson(line)).hasMessageContaining("\"modelSha256\"");
    }

    @Test
    void theResultLineCarriesTheOutcomeTheWindowShows() {
        var o = new FineTuneRun.Outcome(Path.of("/out/m.zip"), Path.of("/out/m.plan.json"), Path.of("/out/m.json"),
                0.91, 0.905, 0.93, 0.5, 2, 12.5, Map.of("testTop1", 0.905, "epochs", List.of(1, 2)), null, 40);
        JsonNode n = WorkerProtocol.message(WorkerProtocol.result(o));
        assertThat(n.path("type").asText()).isEqualTo(WorkerProtocol.RESULT);
        assertThat(WorkerProtocol.readResult(n)).isEqualTo(o);
    }

    @Test
    void stepsAndEpochsSurviveTheirLinesEvenWithADivergedLoss() {
        StepUpdate u = new StepUpdate(17, 200, 2, Double.NaN, 0.42, 5e-4);
        EpochRecord e = new EpochRecord(2, 100, 0.35, 0.875, 0.5, 3.25);
        assertThat(WorkerProtocol.readStep(WorkerProtocol.message(WorkerProtocol.step(u)))).isEqualTo(u);
        assertThat(WorkerProtocol.readEpoch(WorkerProtocol.message(WorkerProtocol.epoch(e)))).isEqualTo(e);
    }

    @Test
    void textThatIsNotAProtocolMessageIsALogLine() {
        assertThat(WorkerProtocol.message("Terminating due to java.lang.OutOfMemoryError: Java heap space")).isNull();
        assertThat(WorkerProtocol.message("{\"no\":\"type\"}")).isNull();
        assertThat(WorkerProtocol.message("{broken")).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "137, false, false, killed by signal 9 (SIGKILL)",
            "134, true, false, 'killed by signal 6 (SIGABRT), a native crash; the JVM''s crash log is /w/hs_err_pid1.log'",
            "3, false, true, 'exited with code 3, out of memory'",
    })
    void aDeadWorkersCauseNamesSignalMemoryAndCrashLog(int code, boolean crashLog, boolean oom, String expected) {
        WorkerExit exit = new WorkerExit(code, null, false, false, List.of(), Path.of("/w/worker.log"),
                crashLog ? Optional.of(Path.of("/w/hs_err_pid1.log")) : Optional.empty(), oom, 1, 2);
        assertThat(exit.died()).isTrue();
        assertThat(exit.cause()).isEqualTo(expected);
    }

    @Test
    void limitsFollowTheMachinesMemoryWithinCaps() {
        long gb = 1L << 30;
        WorkerLimits l = WorkerLimits.forMachine(24 * gb);
        assertThat(l.heapBytes()).isEqualTo(6 * gb);
        assertThat(l.offHeapBytes()).isEqualTo(24 * gb * 40 / 100);
        assertThat(l.physicalBytes()).isGreaterThan(l.heapBytes() + l.offHeapBytes());
        assertThat(l.jvmOptions()).contains("-Xmx6144m");
        assertThat(WorkerLimits.forMachine(256 * gb).heapBytes()).isEqualTo(8 * gb);
        assertThat(WorkerLimits.forMachine(gb).heapBytes()).isEqualTo(512L << 20);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "worker: java -Xmx1024m -XX:+ExitOnOutOfMemoryError -cp x io.lathe.Main worker | false",
            "Terminating due to java.lang.OutOfMemoryError: Java heap space | true",
            "java.lang.RuntimeException: Can't allocate [HOST] memory [4194304]; threadId: 1 | true",
            "# There is insufficient memory for the Java Runtime Environment to continue. | true",
    })
    void theLogSaysOutOfMemoryOnlyWhenMemoryRanOut(String line, boolean expected, @org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path log = java.nio.file.Files.writeString(dir.resolve("worker.log"), "lathe worker: heap 1 GB\n" + line + "\n");
        assertThat(WorkerExit.logSaysOutOfMemory(log, List.of())).isEqualTo(expected);
    }
}
