package io.lathe.export;

import io.lathe.TinyResNet;
import io.lathe.compress.CompressedModel;
import io.lathe.compress.Granularity;
import io.lathe.compress.Plan;
import io.lathe.compress.PlanApplier;
import io.lathe.compress.PruneSetting;
import io.lathe.compress.QuantSetting;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The exported DL4J zip loads in a separate JVM whose class path has DL4J's jars and none of Lathe's classes. */
class StockDl4jLoadTest {
    /** One block per stage, two stages, 12×12 grey images, wide BatchNorm statistics. */
    private static final TinyResNet NET = TinyResNet.of(1, 4, 8).withInput(1, 12).withNorms(TinyResNet.Norms.WIDE);

    @TempDir
    Path tmp;

    @Test
    void compressedZipLoadsWithStockDl4jAlone() throws Exception {
        LoadedModel model = NET.withSeed(9).model("tiny");
        Plan plan = Plan.empty(model.name(), model.sha256())
                .withDefaults(PruneSetting.sparsity(Granularity.ELEMENT, 0.5), QuantSetting.bits(4));
        CompressedModel cm = new PlanApplier(model, LayerTree.of(model)).apply(plan);
        Path zip = tmp.resolve("tiny-compressed.zip");
        ModelSerializer.writeModel(cm.graph(), zip.toFile(), false);
        int n = 2;
        int[] chw = NET.inputShape();
        float[] x = new float[n * chw[0] * chw[1] * chw[2]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 13) / 13f;
        }
        float[] expected = cm.graph().outputSingle(false, Nd4j.create(x, new long[]{n, chw[0], chw[1], chw[2]}, 'c'))
                .dup('c').data().asFloat();

        Path program = Path.of(getClass().getResource("/stockdl4j/StockLoad.java").toURI());
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, dl4jJarsOnly()), program.toString(), zip.toString(),
                String.valueOf(n), String.valueOf(chw[0]), String.valueOf(chw[1]), String.valueOf(chw[2]));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("LATHE_CLASSES_ABSENT");
        String line = output.lines().filter(l -> l.startsWith("OUTPUT")).findFirst().orElseThrow();
        String[] parts = line.substring("OUTPUT ".length()).split(" ");
        assertThat(parts).hasSameSizeAs(expected);
        for (int i = 0; i < parts.length; i++) {
            assertThat(Float.parseFloat(parts[i])).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    /** This JVM's class path (expanded from surefire's manifest jar if used), without Lathe's class folders. */
    private static List<String> dl4jJarsOnly() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("surefirebooter") && e.endsWith(".jar")) {
                try (JarFile jar = new JarFile(e)) {
                    String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String u : cp.trim().split("\\s+")) {
                        entries.add(Path.of(URI.create(u)).toString());
                    }
                }
            } else {
                entries.add(e);
            }
        }
        List<String> jars = new ArrayList<>();
        for (String e : entries) {
            if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e)) && !e.contains("surefire")
                    && !e.contains("junit") && !e.contains("onnxruntime")) {
                jars.add(e);
            }
        }
        return jars;
    }
}
