package io.lathe.ui.soak;

import io.lathe.data.AppHome;
import io.lathe.data.FashionMnist;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The files a soak session opens: the two bundled sample models with the bundled Fashion-MNIST and a
 * smaller Fashion-MNIST folder written for the session, and, when {@code ../shared} is there, the
 * Keras and ONNX models in {@code ../shared/models} with CIFAR-10 from {@code ../shared/data/cifar10}.
 * Also the session's temporary folder (settings, exports), deleted by {@link #delete}.
 */
final class SoakFiles {
    /** Training images in the smaller Fashion-MNIST folder (validation is their last tenth). */
    static final int SUBSET_TRAIN = 6_000;
    static final int SUBSET_TEST = 1_000;
    /** The preprocessing each shared model's authors trained with (../shared/models/README.md); else cifar10. */
    private static final Map<String, String> SHARED_PREPROCESSING = Map.of(
            "mlcommons_tiny_resnet8_cifar10.h5", "raw",
            "bhartiansh_resnet20_cifar10_baseline.h5", "cifar10",
            "Amandashi95_onnc_resnet20_pytorch.onnx", "cifar10");

    /** A model the soak opens, with the data folder and preprocessing it needs (null: the window's choice). */
    record SoakModel(Path file, Path data, String preprocess) {
        String name() {
            return file.getFileName().toString();
        }
    }

    private final Path dir;
    private final List<SoakModel> models = new ArrayList<>();
    private final List<Path> fashionData = new ArrayList<>();
    private final List<Path> cifarData = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int exports;

    private SoakFiles(Path dir) {
        this.dir = dir;
    }

    /** Finds the models and data and writes the smaller Fashion-MNIST folder into a new temporary folder. */
    static SoakFiles prepare() throws IOException {
        SoakFiles f = new SoakFiles(Files.createTempDirectory("lathe-soak"));
        f.models.add(new SoakModel(AppHome.sampleModel("resnet20-fashion.zip"), null, null));
        f.models.add(new SoakModel(AppHome.sampleModel("resnet8-fashion.zip"), null, null));
        for (SoakModel m : f.models) {
            if (!Files.isRegularFile(m.file())) {
                throw new IOException("the bundled sample " + m.file() + " is missing: run from Lathe's folder");
            }
        }
        Path bundled = FashionMnist.locate();
        f.fashionData.add(bundled);
        f.fashionData.add(writeSubset(bundled, f.dir.resolve("fashion-mnist-6k")));
        f.findShared();
        return f;
    }

    private void findShared() throws IOException {
        Path shared = sharedFolder();
        if (shared == null) {
            notes.add("../shared not found: no Keras .h5 or ONNX model opened, no CIFAR-10 data switched to");
            return;
        }
        Path cifar = shared.resolve("data/cifar10");
        for (String sub : new String[]{"test-exact-first1000", "test"}) {
            if (Files.isDirectory(cifar.resolve(sub))) {
                cifarData.add(cifar.resolve(sub));
            }
        }
        Path modelDir = shared.resolve("models");
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(modelDir)) {
            try (Stream<Path> s = Files.list(modelDir)) {
                s.filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".h5") || n.endsWith(".onnx");
                }).sorted(Comparator.comparing(Path::toString)).forEach(files::add);
            }
        }
        if (files.isEmpty() || cifarData.isEmpty()) {
            notes.add("no .h5/.onnx in " + modelDir + " or no CIFAR-10 in " + cifar + ": shared models skipped");
            return;
        }
        for (Path p : files) {
            models.add(new SoakModel(p, cifarData.get(0),
                    SHARED_PREPROCESSING.getOrDefault(p.getFileName().toString(), "cifar10")));
        }
    }

    /** {@code ../shared} next to the working folder or next to Lathe's folder, or null. */
    private static Path sharedFolder() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("..", "shared")));
        Path home = AppHome.find();
        if (home != null && home.toAbsolutePath().getParent() != null) {
            candidates.add(home.toAbsolutePath().getParent().resolve("shared"));
        }
        return candidates.stream().filter(p -> Files.isDirectory(p.resolve("models"))).findFirst()
                .map(p -> p.toAbsolutePath().normalize()).orElse(null);
    }

    /** Writes the first {@value #SUBSET_TRAIN} training and {@value #SUBSET_TEST} test images of an idx folder. */
    static Path writeSubset(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        copyIdx(from, to, "train-images-idx3-ubyte", SUBSET_TRAIN);
        copyIdx(from, to, "train-labels-idx1-ubyte", SUBSET_TRAIN);
        copyIdx(from, to, "t10k-images-idx3-ubyte", SUBSET_TEST);
        copyIdx(from, to, "t10k-labels-idx1-ubyte", SUBSET_TEST);
        return to;
    }

    private static void copyIdx(Path from, Path to, String name, int count) throws IOException {
        Path gz = from.resolve(name + ".gz");
        try (InputStream raw = Files.newInputStream(Files.exists(gz) ? gz : from.resolve(name));
             DataInputStream in = new DataInputStream(Files.exists(gz) ? new GZIPInputStream(raw) : raw);
             OutputStream file = Files.newOutputStream(to.resolve(name + ".gz"));
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(file))) {
            int magic = in.readInt();
            int dims = magic & 0xff;
            int n = in.readInt();
            if (n < count) {
                throw new IOException(from.resolve(name) + " holds " + n + " items, fewer than " + count);
            }
            out.writeInt(magic);
            out.writeInt(count);
            long itemBytes = 1;
            for (int d = 1; d < dims; d++) {
                int size = in.readInt();
                out.writeInt(size);
                itemBytes *= size;
            }
            out.write(in.readNBytes((int) (itemBytes * count)));
        }
    }

    List<SoakModel> models() {
        return models;
    }

    /** The Fashion-MNIST folders to switch between: the bundled one first. */
    List<Path> fashionData() {
        return fashionData;
    }

    /** The CIFAR-10 folders for the shared models (empty without ../shared). */
    List<Path> cifarData() {
        return cifarData;
    }

    /** What was skipped and why. */
    List<String> notes() {
        return notes;
    }

    /** The settings folder the window uses instead of the user's. */
    Path config() {
        return dir.resolve("config");
    }

    /** A new, empty export folder. */
    Path nextExportFolder() {
        return dir.resolve("exports").resolve("export-" + (++exports));
    }

    /** Deletes the temporary folder. */
    void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
