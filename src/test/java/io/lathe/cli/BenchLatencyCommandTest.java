package io.lathe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lathe.TinyResNet;
import io.lathe.engine.Engine;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchLatencyCommandTest {
    @TempDir
    Path dir;

    private Path save(String name, int[] widths) throws Exception {
        ComputationGraph g = TinyResNet.of(1, widths).withInput(1, 28).withClasses(10).withSeed(1).graph();
        Path p = dir.resolve(name + ".zip");
        ModelSerializer.writeModel(g, p.toFile(), false);
        return p;
    }

    @Test
    void measuresBothModelsInOneRunAndPrintsTheContractKeys() throws Exception {
        Engine.configure();
        Path wide = save("wide", new int[]{8, 16, 16});
        Path narrow = save("narrow", new int[]{2, 4, 4});
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = LatheCommand.run("bench", "latency", "--model", wide.toString(), "--versus", narrow.toString(),
                    "--repeats", "3", "--json");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
        for (String key : new String[]{"batch1Ms", "batch64Ms", "versusBatch1Ms", "versusBatch64Ms", "speedupBatch64"}) {
            assertThat(json.get(key).asDouble()).as(key).isPositive();
        }
        assertThat(json.get("speedupBatch64").asDouble())
                .isCloseTo(json.get("batch64Ms").asDouble() / json.get("versusBatch64Ms").asDouble(),
                        org.assertj.core.api.Assertions.within(0.01));
        assertThat(json.get("speedupBatch64").asDouble()).isGreaterThan(1.0);
    }
}
