package io.lathe.cli;

import io.lathe.files.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.TinyResNet;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.eval.Evaluation;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

class DataCliTest {
    @TempDir
    static Path dir;
    private static String model;
    private static Path twoClasses;
    private static Path tenClasses;

    @BeforeAll
    static void prepare() throws Exception {
        Engine.configure();
        ComputationGraph g = TinyResNet.of(1, 4, 8, 8).withInput(1, 28).withClasses(10).withSeed(11).graph();
        Path file = dir.resolve("tiny.zip");
        ModelSerializer.writeModel(g, file.toFile(), false);
        model = file.toString();
        twoClasses = folder("two", "cat", "dog");
        tenClasses = folder("ten", "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
    }

    private static Path folder(String name, String... classes) throws Exception {
        Path root = dir.resolve(name);
        for (String c : classes) {
            Files.createDirectories(root.resolve(c));
            for (int i = 0; i < 3; i++) {
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(i, i, 0, 200);
                ImageIO.write(img, "png", root.resolve(c).resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = LatheCommand.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void dataWithAnotherClassCountIsRefusedInOneLine() {
        Result r = run("eval", "--model", model, "--data", twoClasses.toString(), "--preprocess", "unit", "--json");
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("the model has 10 outputs but " + twoClasses + " has 2 classes (cat, dog)");
    }

    @Test
    void sensitivityRefusesTheSameData() {
        Result r = run("sensitivity", "--model", model, "--data", twoClasses.toString(), "--preprocess", "unit",
                "--cache", dir.resolve("sens").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("has 2 classes");
    }

    @Test
    void evalJsonCarriesThePreprocessingAndNoNaN() throws Exception {
        Result r = run("eval", "--model", model, "--data", tenClasses.toString(), "--preprocess", "raw",
                "--split", "test", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("preprocess").get("name").asText()).isEqualTo("raw");
        assertThat(j.get("preprocess").get("scale").asDouble()).isEqualTo(1.0);
        assertThat(r.out()).doesNotContain("NaN");
    }

    @Test
    void splitAllEvaluatesEveryImageOfAFlatFolder() throws Exception {
        Result r = run("eval", "--model", model, "--data", tenClasses.toString(), "--preprocess", "unit",
                "--split", "all", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("split").asText()).isEqualTo("all");
        assertThat(j.get("images").asInt()).isEqualTo(30);
    }

    @Test
    void modelWithoutStatedPreprocessingSaysItWasAssumed() {
        Result r = run("eval", "--model", model, "--data", tenClasses.toString(), "--split", "test", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("No preprocessing stated with the model; assumed x/255 (unit)");
    }

    @Test
    void rememberedPreprocessingIsUsedNextTime() throws Exception {
        Path config = dir.resolve("config");
        String old = System.getProperty("lathe.config");
        System.setProperty("lathe.config", config.toString());
        try {
            Result first = run("eval", "--model", model, "--data", tenClasses.toString(), "--preprocess", "raw",
                    "--remember", "--split", "test", "--json");
            assertThat(first.code()).as(first.err()).isZero();
            Result second = run("eval", "--model", model, "--data", tenClasses.toString(), "--split", "test", "--json");
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(new ObjectMapper().readTree(second.out()).get("preprocess").get("name").asText())
                    .isEqualTo("raw");
            assertThat(second.err()).doesNotContain("No preprocessing stated");
        } finally {
            if (old == null) {
                System.clearProperty("lathe.config");
            } else {
                System.setProperty("lathe.config", old);
            }
        }
    }

    @Test
    void unknownPresetIsRefusedListingThePresets() {
        Result r = run("eval", "--model", model, "--preprocess", "caffe");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("raw, unit, pixel-mean, imagenet, cifar10");
    }

    @Test
    void classWithoutImagesIsNullInJsonNotNaN() throws Exception {
        LabeledImages images = new LabeledImages("t", new float[3], new int[]{0, 0, 1}, 1, 1, 1, 3,
                new String[]{"a", "b", "c"});
        Evaluation e = Evaluation.of(new int[]{0, 1, 1}, images, 0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("perClass", e.perClass());
        out.put("nan", Double.NaN);
        String json = Json.write(out);
        assertThat(json).doesNotContain("NaN");
        JsonNode j = new ObjectMapper().readTree(json);
        assertThat(j.get("perClass").get(2).isNull()).isTrue();
        assertThat(j.get("perClass").get(0).asDouble()).isEqualTo(0.5);
        assertThat(j.get("nan").isNull()).isTrue();
    }

    @Test
    void top1AgreesWithTheConfusionMatrixWhenAPredictionIsOutsideTheDataClasses() {
        LabeledImages images = new LabeledImages("t", new float[4], new int[]{0, 1, 1, 1}, 1, 1, 1, 2,
                new String[]{"a", "b"});
        Evaluation e = Evaluation.of(new int[]{0, 1, 5, 2}, images, 0);
        int diagonal = 0;
        int total = 0;
        for (int t = 0; t < e.confusion().length; t++) {
            diagonal += e.confusion()[t][t];
            for (int c : e.confusion()[t]) {
                total += c;
            }
        }
        assertThat(total).isEqualTo(4);
        assertThat((double) diagonal / total).isEqualTo(e.top1()).isEqualTo(0.5);
    }

    @Test
    void lowRankAndActivationPruneWritePlansThatEvalApplies() throws Exception {
        Path lr = dir.resolve("lr.plan.json");
        Result a = run("low-rank", "--model", model, "--data", tenClasses.toString(), "--preprocess", "unit",
                "--energy", "0.8", "--write-plan", lr.toString(), "--json");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(Files.readString(lr)).contains("\"lowRank\"").contains("\"rank\"");
        Path act = dir.resolve("act.plan.json");
        Result b = run("activation-prune", "--model", model, "--data", tenClasses.toString(), "--preprocess", "unit",
                "--threshold", "0.1", "--write-plan", act.toString(), "--json");
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(Files.readString(act)).contains("\"activation\"").contains("0.1");
        for (Path plan : List.of(lr, act)) {
            Result e = run("eval", "--model", model, "--data", tenClasses.toString(), "--preprocess", "unit",
                    "--split", "all", "--plan", plan.toString(), "--json");
            assertThat(e.code()).as(e.err()).isZero();
        }
        Result bad = run("low-rank", "--model", model, "--write-plan", lr.toString());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("--write-plan needs --energy");
    }
}
