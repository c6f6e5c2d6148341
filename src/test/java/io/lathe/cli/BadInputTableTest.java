package io.lathe.cli;

import io.lathe.TinyResNet;
import io.lathe.engine.Engine;
import onnx.Onnx;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus, as a new user meets it on the command line: each case exits non-zero with one
 * {@code lathe:} line that names the problem, writes nothing, and leaves no NaN in any output.
 */
class BadInputTableTest {
    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void corpus() throws Exception {
        Engine.configure();
        ComputationGraph g = TinyResNet.of(1, 4, 8, 8).withInput(1, 28).withClasses(10).withSeed(11).graph();
        model = dir.resolve("tiny.zip");
        ModelSerializer.writeModel(g, model.toFile(), false);
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        Files.write(dir.resolve("noise.h5"), noise);
        Files.write(dir.resolve("noise.onnx"), noise);
        Files.writeString(dir.resolve("page.h5"), "<html><body><h1>404 Not Found</h1></body></html>\n");
        Files.writeString(dir.resolve("error.h5"), "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(dir.resolve("model.keras")))) {
            z.putNextEntry(new ZipEntry("config.json"));
            z.write("{\"module\": \"keras\", \"class_name\": \"Functional\"}".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("metadata.json"));
            z.write("{\"keras_version\": \"3.3.3\"}".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            z.write(new byte[]{(byte) 0x89, 'H', 'D', 'F'});
        }
        Files.createDirectories(dir.resolve("empty-folder"));
        Files.createDirectories(dir.resolve("saved-model/variables"));
        Files.write(dir.resolve("saved-model/saved_model.pb"), new byte[]{8, 1});
        Files.write(dir.resolve("sigmoid.onnx"), onnxWith("Sigmoid"));
        ComputationGraph nan = TinyResNet.of(1, 4, 8, 8).withInput(1, 28).withClasses(10).withSeed(11).graph();
        nan.getLayer("stage1.block0.conv2").getParam("W").putScalar(0, Float.NaN);
        ModelSerializer.writeModel(nan, dir.resolve("nan.zip").toFile(), false);
        images("two-classes", 28, "cat", "dog");
        Files.writeString(dir.resolve("other-model.plan.json"), """
                { "format": "lathe-plan", "version": 1, "model": { "name": "x", "sha256": "%s" },
                  "defaults": { "prune": { "granularity": "element", "sparsity": 0.5 } }, "layers": { } }
                """.formatted("ab".repeat(32)));
        Files.writeString(dir.resolve("unknown-layer.plan.json"), """
                { "format": "lathe-plan", "version": 1, "model": { "name": "tiny" },
                  "defaults": { }, "layers": { "stage9.block0.conv1": { "prune": { "sparsity": 0.5 } } } }
                """);
        Files.writeString(dir.resolve("a-file"), "not a folder");
        byte[] truncated = new byte[600];
        new Random(4).nextBytes(truncated);
        System.arraycopy(new byte[]{(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}, 0, truncated, 0, 8);
        Files.write(dir.resolve("truncated.h5"), truncated);
        Files.write(dir.resolve("external.onnx"), onnxWithMissingExternalData());
        cifarBinary(dir.resolve("cifar-binary"));
    }

    /** An ONNX graph y = x + w whose w is stored in an external file that is not there. */
    private static byte[] onnxWithMissingExternalData() {
        Onnx.TypeProto type = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(1).setShape(Onnx.TensorShapeProto.newBuilder()
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(8)))).build();
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(1).addDims(8)
                .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
                .build();
        Onnx.GraphProto graph = Onnx.GraphProto.newBuilder().setName("g").addInitializer(w)
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("y").setType(type))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Add").setName("add").addInput("x").addInput("w")
                        .addOutput("y"))
                .build();
        return Onnx.ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build()
                .toByteArray();
    }

    /** CIFAR-10 binary batches (3×32×32 colour) with three images each: the wrong shape for the 28×28 grey model. */
    private static void cifarBinary(Path folder) throws Exception {
        Files.createDirectories(folder);
        byte[] batch = new byte[3 * 3073];
        for (int r = 0; r < 3; r++) {
            batch[r * 3073] = (byte) r;
        }
        for (int i = 1; i <= 5; i++) {
            Files.write(folder.resolve("data_batch_" + i + ".bin"), batch);
        }
        Files.write(folder.resolve("test_batch.bin"), batch);
        Files.writeString(folder.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
    }

    private static void images(String name, int size, String... classes) throws Exception {
        for (String c : classes) {
            Path folder = Files.createDirectories(dir.resolve(name).resolve(c));
            for (int i = 0; i < 3; i++) {
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                img.getRaster().setSample(i, i, 0, 200);
                ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
            }
        }
    }

    /** A one-node ONNX model (opset 13) whose node is {@code op}. */
    private static byte[] onnxWith(String op) {
        Onnx.TypeProto type = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setShape(Onnx.TensorShapeProto.newBuilder()
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(3))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(8))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(8)))).build();
        Onnx.GraphProto graph = Onnx.GraphProto.newBuilder().setName("g")
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("y").setType(type))
                .addNode(Onnx.NodeProto.newBuilder().setOpType(op).setName("the_" + op.toLowerCase()).addInput("x")
                        .addOutput("y"))
                .build();
        return Onnx.ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build()
                .toByteArray();
    }

    private record Result(int code, String out, String err) {
        List<String> latheLines() {
            return err.lines().filter(l -> l.startsWith("lathe:") && !l.startsWith("lathe: note:")).toList();
        }
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

    /** {@code {dir}} and {@code {model}} in the arguments stand for the corpus folder and the good tiny model. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            random bytes as .h5         | eval --model {dir}/noise.h5                          | not an HDF5 file
            HTML error page as .h5      | eval --model {dir}/page.h5                           | web page
            XML error page as .h5       | eval --model {dir}/error.h5                          | XML
            Keras 3 archive             | eval --model {dir}/model.keras                       | Keras 3
            SavedModel folder           | eval --model {dir}/saved-model                       | SavedModel
            empty folder as a model     | info --model {dir}/empty-folder                      | folder
            random bytes as .onnx       | info --model {dir}/noise.onnx                        | ONNX
            ONNX op outside the set     | info --model {dir}/sigmoid.onnx                      | 'Sigmoid'
            NaN weight                  | eval --model {dir}/nan.zip                           | NaN or infinite
            missing model file          | eval --model {dir}/nothing-here.zip                  | not found
            2 classes for 10 outputs    | eval --model {model} --data {dir}/two-classes        | 2 classes
            missing data folder         | eval --model {model} --data {dir}/no-such-data       | not found
            plan for another model      | eval --model {model} --plan {dir}/other-model.plan.json | made for model
            plan with an unknown layer  | eval --model {model} --plan {dir}/unknown-layer.plan.json | stage9.block0.conv1
            export into a file          | compress --model {model} --out {dir}/a-file/export    | {dir}/a-file
            truncated .h5 download      | eval --model {dir}/truncated.h5                      | truncated
            ONNX external data missing  | info --model {dir}/external.onnx                     | weights.bin
            wrong-shape data            | eval --model {model} --data {dir}/cifar-binary        | 3x32x32
            malformed Spark master      | sensitivity --model {model} --spark lcoal[2]          | not a Spark master
            Spark master without port   | allocate --model {model} --target-sparsity 0.5 --out {dir}/p.json --spark spark://127.0.0.1 | HOST:PORT
            unreachable Spark master    | eval --model {model} --spark spark://127.0.0.1:9      | cannot reach the Spark master
            fine-tune into a file       | finetune --model {model} --target-sparsity 0.5 --epochs 1 --limit-train 64 --out {dir}/a-file/m.zip | {dir}/a-file
            """)
    void isRefusedInOneLineAndWritesNothing(String what, String args, String expected) throws Exception {
        List<Path> before = listing();
        String[] argv = Arrays.stream(args.trim().split("\\s+"))
                .map(a -> a.replace("{dir}", dir.toString()).replace("{model}", model.toString()))
                .toArray(String[]::new);
        Result r = run(argv);
        assertThat(r.code()).as(what + ": exit code").isNotZero();
        assertThat(r.latheLines()).as(what + ": " + r.err()).hasSize(1);
        assertThat(r.latheLines().get(0)).as(what)
                .containsIgnoringCase(expected.replace("{dir}", dir.toString()));
        assertThat(r.err()).as(what + ": no native HDF5 diagnostics").doesNotContain("HDF5-DIAG");
        assertThat(r.out()).as(what + ": nothing on stdout").isEmpty();
        assertThat(listing()).as(what + ": nothing written").isEqualTo(before);
    }

    private static List<Path> listing() throws Exception {
        try (var s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }
}
