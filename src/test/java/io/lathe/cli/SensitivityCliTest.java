package io.lathe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.TinyResNet;
import io.lathe.engine.Engine;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SensitivityCliTest {
    @TempDir
    static Path dir;
    private static String model;

    @BeforeAll
    static void saveTinyModel() throws Exception {
        Engine.configure();
        ComputationGraph g = TinyResNet.of(1, 4, 8, 8).withInput(1, 28).withClasses(10).withSeed(11).graph();
        Path file = dir.resolve("tiny.zip");
        ModelSerializer.writeModel(g, file.toFile(), false);
        model = file.toString();
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

    private static String[] sensitivity(String... extra) {
        List<String> a = new ArrayList<>(List.of("sensitivity", "--model", model, "--cache", dir.resolve("cache").toString(),
                "--json"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--layers=|layer list is empty",
            "--sparsities=0,1.2|outside 0-1",
            "--sparsities=-0.1|outside 0-1",
            "--bits=8,1|outside 2-32",
            "--bits=40|outside 2-32",
            "--layers=fc,nope.conv|unknown layer [nope.conv]",
            "--granularity=rows|unknown granularity"})
    void badSensitivityArgumentsGiveOneClearLine(String arg, String message) {
        Result r = run(sensitivity(arg));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void allocateNeedsExactlyOneGoal() {
        Result r = run("allocate", "--model", model, "--out", dir.resolve("p.json").toString(), "--target-sparsity",
                "0.5", "--max-drop", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void allocateRefusesASparsityOutsideZeroToOne() {
        Result r = run("allocate", "--model", model, "--out", dir.resolve("p.json").toString(), "--target-sparsity", "70");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("outside 0-1");
    }

    @Test
    void sensitivityPrintsCurvesAndWritesCsv() throws Exception {
        Path csv = dir.resolve("curves.csv");
        Result r = run(sensitivity("--layers", "stem.conv,fc", "--sparsities", "0,0.5", "--bits", "4", "--limit", "40",
                "--csv", csv.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("images").asInt()).isEqualTo(40);
        assertThat(j.get("layers")).hasSize(2);
        assertThat(j.get("layers").get(0).get("sparsity").size()).isEqualTo(2);
        assertThat(j.get("layers").get(0).get("bits").has("4")).isTrue();
        assertThat(Files.readAllLines(csv)).hasSize(1 + 2 * 3).first().asString().startsWith("layer,kind,level");
    }

    @Test
    void allocateWritesAPlanAndComparesWithUniform() throws Exception {
        Path out = dir.resolve("alloc.json");
        Result r = run("allocate", "--model", model, "--cache", dir.resolve("cache").toString(), "--limit", "40",
                "--target-sparsity", "0.5", "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("sparsity").asDouble()).isBetween(0.49, 0.51);
        assertThat(j.get("uniformSparsity").asDouble()).isBetween(0.49, 0.51);
        assertThat(j.has("allocatedTop1") && j.has("uniformTop1")).isTrue();
        assertThat(Files.readString(out)).contains("\"lathe-plan\"");
    }
}
