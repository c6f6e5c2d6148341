package io.lathe.model;

import io.lathe.data.Fingerprints;
import io.lathe.data.Preprocessing;
import io.lathe.engine.Engine;
import io.lathe.model.keras.KerasFiles;
import io.lathe.model.keras.KerasImport;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.model.ResNet50;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens networks: DL4J ComputationGraph and MultiLayerNetwork zips, Keras HDF5 files and the DL4J zoo
 * ResNet-50 (architecture only). Errors are {@link ModelLoadException}s in plain words.
 */
public final class ModelLoader {
    /** The origin string that opens the zoo ResNet-50. */
    public static final String ZOO_RESNET50 = "zoo:resnet50";

    private ModelLoader() {
    }

    /** Opens a model file (or {@value #ZOO_RESNET50}). */
    public static LoadedModel load(String pathOrZoo) throws ModelLoadException {
        if (ZOO_RESNET50.equalsIgnoreCase(pathOrZoo)) {
            return zooResNet50();
        }
        return load(Path.of(pathOrZoo));
    }

    /** Opens a model file. */
    public static LoadedModel load(Path file) throws ModelLoadException {
        Engine.configure();
        if (Files.isDirectory(file)) {
            throw KerasFiles.folderError(file);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + ": file not found");
        }
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String sha = sha256(file);
        String name = baseName(file);
        if (KerasFiles.isKerasName(file) || KerasFiles.isHdf5(file)) {
            return keras(file, sha);
        }
        if (lower.endsWith(".onnx") || io.lathe.model.onnx.OnnxImporter.looksLikeOnnx(file)) {
            return onnx(file, name, sha);
        }
        String kind = dl4jZipKind(file);
        ComputationGraph graph;
        String format;
        try {
            if ("graph".equals(kind)) {
                graph = ModelSerializer.restoreComputationGraph(file.toFile(), false);
                format = "dl4j-graph";
            } else {
                MultiLayerNetwork mln = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
                graph = mln.toComputationGraph();
                format = "dl4j-multilayer";
            }
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(file + ": the DL4J model inside could not be read (" + e.getMessage()
                    + "). The file may be damaged or from an incompatible DL4J version.", e);
        }
        return finish(name, file.toString(), format, sha, graph, true, sidecarShape(file), false);
    }

    /** A Keras model (or JSON + weights pair): named by its stem, fingerprinted by its weights file. */
    private static LoadedModel keras(Path file, String sha) throws ModelLoadException {
        KerasImport.Opened k = KerasImport.open(file);
        String weightsSha = k.weights().equals(file) ? sha : sha256(k.weights());
        LoadedModel m = finish(KerasFiles.stem(file), file.toString(), "keras-h5", weightsSha, k.graph(), true,
                k.inputShape(), false);
        List<String> notes = new ArrayList<>(k.notes());
        notes.addAll(m.notes());
        return new LoadedModel(m.name(), m.origin(), m.format(), m.sha256(), m.graph(), m.inputShape(), false,
                m.trained(), notes, m.preprocessing());
    }

    private static LoadedModel onnx(Path file, String name, String sha) throws ModelLoadException {
        io.lathe.model.onnx.OnnxImporter.Imported in = io.lathe.model.onnx.OnnxImporter.load(file);
        LoadedModel m = finish(name, file.toString(), "onnx", sha, in.graph(), true, in.inputShape(), false);
        List<String> notes = new ArrayList<>(in.notes());
        notes.addAll(m.notes());
        LoadedModel out = new LoadedModel(m.name(), m.origin(), m.format(), m.sha256(), m.graph(), m.inputShape(),
                m.channelsLast(), m.trained(), notes, m.preprocessing());
        String stated = in.metadata().get(ONNX_PREPROCESS_KEY);
        if (stated != null && notes.stream().anyMatch(n -> n.startsWith(ModelPreprocessing.ASSUMED_NOTE_START))) {
            try {
                out = out.withPreprocessing(io.lathe.data.Preprocessing.fromJson(stated));
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(file + ": its metadata '" + ONNX_PREPROCESS_KEY + "' is not a preprocessing ("
                        + e.getMessage() + "); remove it or give --preprocess", e);
            }
        }
        return out;
    }

    /** The ONNX metadata key under which Lathe's exports state their preprocessing (see export.PreprocessRecord). */
    static final String ONNX_PREPROCESS_KEY = "lathe.preprocess";

    private static LoadedModel zooResNet50() throws ModelLoadException {
        Engine.configure();
        ComputationGraph graph = ResNet50.builder().numClasses(1000).inputShape(new int[]{3, 224, 224}).build().init();
        String sha = Fingerprints.of(graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
        return finish("resnet50-zoo", ZOO_RESNET50, "dl4j-zoo", sha, graph, false, new int[]{3, 224, 224}, false);
    }

    private static LoadedModel finish(String name, String origin, String format, String sha, ComputationGraph graph,
                                      boolean trained, int[] declaredShape, boolean channelsLast)
            throws ModelLoadException {
        List<String> notes = new ArrayList<>();
        int[] shape = declaredShape;
        if (shape == null) {
            shape = guessShape(graph, origin);
            notes.add("Input size not recorded with the model; assumed " + shape[0] + "x" + shape[1] + "x" + shape[2]
                    + " (channels from the first convolution). Add a sidecar JSON with \"inputShape\" to set it.");
        }
        if (!trained) {
            notes.add("Untrained: architecture only (no weights can be downloaded here); accuracy is meaningless.");
        }
        requireFiniteWeights(origin, graph);
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
            throw new ModelLoadException(origin + ": the network has " + graph.getNumInputArrays() + " inputs and "
                    + graph.getNumOutputArrays() + " outputs; Lathe works on single-input, single-output classifiers.");
        }
        Path file = origin.contains(":") && !Files.isRegularFile(Path.of(origin)) ? null : Path.of(origin);
        Preprocessing prep = ModelPreprocessing.resolve(file, sha, file == null ? null
                : ModelPreprocessingStore.inConfigFolder(), notes);
        LoadedModel m = new LoadedModel(name, origin, format, sha, graph, shape, channelsLast, trained, notes, prep);
        LayerTree tree = LayerTree.of(m);
        if (!tree.residual()) {
            notes.add("No residual structure found: the layers are listed flat, without stages or blocks.");
            m = new LoadedModel(name, origin, format, sha, graph, shape, channelsLast, trained, notes, prep);
        }
        return m;
    }

    /** Refuses a network holding NaN or infinite parameters, naming the first layer that does. */
    static void requireFiniteWeights(String origin, ComputationGraph graph) throws ModelLoadException {
        if (graph.numParams() == 0) {
            return;
        }
        org.nd4j.linalg.api.ndarray.INDArray all = graph.params();
        if (all.isInfinite().any() || all.isNaN().any()) {
            for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
                if (l.numParams() > 0 && (l.params().isNaN().any() || l.params().isInfinite().any())) {
                    long bad = l.params().isNaN().castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue()
                            + l.params().isInfinite().castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
                    throw new ModelLoadException(origin + ": layer '" + l.conf().getLayer().getLayerName() + "' holds "
                            + bad + " NaN or infinite weights; the file is damaged or was saved from a diverged "
                            + "training run. Open an earlier checkpoint.");
                }
            }
        }
    }

    /** Channels from the first convolution fed by the input; 28×28 assumed. */
    static int[] guessShape(ComputationGraph graph, String origin) throws ModelLoadException {
        String input = graph.getConfiguration().getNetworkInputs().get(0);
        for (var e : graph.getConfiguration().getVertexInputs().entrySet()) {
            if (e.getValue().contains(input)
                    && graph.getConfiguration().getVertices().get(e.getKey()) instanceof LayerVertex lv
                    && lv.getLayerConf().getLayer() instanceof ConvolutionLayer c) {
                return new int[]{(int) c.getNIn(), 28, 28};
            }
        }
        throw new ModelLoadException(origin + ": the network's input is not an image (its first layer is not a "
                + "convolution); Lathe compresses convolutional classifiers such as ResNets.");
    }

    /** The "inputShape" of a sidecar JSON next to the model ({@code name.json}), or null. */
    static int[] sidecarShape(Path model) {
        String n = model.getFileName().toString();
        int dot = n.lastIndexOf('.');
        Path sidecar = model.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".json");
        if (!Files.isRegularFile(sidecar)) {
            return null;
        }
        try {
            var node = new ObjectMapper().readTree(sidecar.toFile()).get("inputShape");
            if (node != null && node.isArray() && node.size() == 3) {
                return new int[]{node.get(0).asInt(), node.get(1).asInt(), node.get(2).asInt()};
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String dl4jZipKind(Path file) throws ModelLoadException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry("configuration.json");
            if (conf == null || zip.getEntry("coefficients.bin") == null) {
                throw new ModelLoadException(file + ": not a DL4J model zip (it has no configuration.json and "
                        + "coefficients.bin). Open a zip written by DL4J's ModelSerializer, or a Keras .h5 file.");
            }
            try (InputStream in = zip.getInputStream(conf)) {
                String json = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
                return json.contains("\"vertices\"") ? "graph" : "multilayer";
            }
        } catch (ZipException e) {
            throw new ModelLoadException(file + ": not a readable zip file (" + e.getMessage()
                    + "). The file is damaged or not a DL4J model.", e);
        } catch (IOException e) {
            if (e instanceof ModelLoadException mle) {
                throw mle;
            }
            throw new ModelLoadException(file + ": could not read (" + e.getMessage() + ")", e);
        }
    }

    /** SHA-256 of a file's bytes, hex. */
    public static String sha256(Path file) throws ModelLoadException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = Fingerprints.sha256();
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelLoadException(file + ": could not read (" + e.getMessage() + ")", e);
        }
    }

    /** The model name Lathe derives from a file: its name without the extension. */
    public static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** Wraps an already-built graph (tests, training) whose input is channels×height×width. */
    public static LoadedModel fromGraph(String name, ComputationGraph graph, int[] inputShape)
            throws ModelLoadException {
        MessageDigest md = Fingerprints.sha256();
        md.update(graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
        float[] p = graph.params().dup().data().asFloat();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * p.length);
        buf.asFloatBuffer().put(p);
        md.update(buf.array());
        return finish(name, "memory:" + name, "dl4j-graph", java.util.HexFormat.of().formatHex(md.digest()), graph,
                true, inputShape.clone(), false);
    }
}
