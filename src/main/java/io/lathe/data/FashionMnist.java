package io.lathe.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates and loads Fashion-MNIST (or any MNIST-format idx folder): the copy bundled in
 * {@code sample-models/fashion-mnist}, or Debian's {@code dataset-fashion-mnist} package.
 */
public final class FashionMnist {
    public static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
    public static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private FashionMnist() {
    }

    /** True when {@code folder} holds the four idx files (plain or .gz). */
    public static boolean isIdxFolder(Path folder) {
        return find(folder, TRAIN_IMAGES) != null && find(folder, TRAIN_LABELS) != null
                && find(folder, TEST_IMAGES) != null && find(folder, TEST_LABELS) != null;
    }

    /** Folders searched, in order, for the bundled data when none is named. */
    public static List<Path> defaultFolders() {
        List<Path> out = new ArrayList<>();
        String override = System.getProperty("lathe.data");
        if (override != null) {
            out.add(Path.of(override));
        }
        out.add(Path.of("sample-models", "fashion-mnist"));
        Path home = AppHome.find();
        if (home != null) {
            out.add(home.resolve("sample-models").resolve("fashion-mnist"));
        }
        out.add(DEBIAN_FOLDER);
        return out;
    }

    /** The first default folder that holds the data, or an error saying where Lathe looked. */
    public static Path locate() throws DataFormatException {
        for (Path p : defaultFolders()) {
            if (isIdxFolder(p)) {
                return p;
            }
        }
        throw new DataFormatException(Path.of("sample-models", "fashion-mnist"),
                "Fashion-MNIST not found; looked in " + defaultFolders()
                        + ". Run Lathe from its folder, pass --data FOLDER, or apt-get install dataset-fashion-mnist");
    }

    /** Loads the bundled or installed Fashion-MNIST with the DESIGN.md splits, scaled to [0, 1] (unit). */
    public static DataSplits load() throws IOException {
        return load(locate());
    }

    /** Loads the four idx files in {@code folder} with the DESIGN.md splits, scaled to [0, 1] (unit). */
    public static DataSplits load(Path folder) throws IOException {
        return DataLoader.prepare(loadRaw(folder), Preprocessing.unit(), null);
    }

    /** The four idx files in {@code folder} as read (pixels 0-255), split per DESIGN.md. */
    static RawSplits loadRaw(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new DataFormatException(folder, "data folder not found");
        }
        Path ti = require(folder, TRAIN_IMAGES);
        Path tl = require(folder, TRAIN_LABELS);
        Path si = require(folder, TEST_IMAGES);
        Path sl = require(folder, TEST_LABELS);
        RawImages train = IdxReader.readRaw(ti, tl, "train", classNamesFor(tl));
        RawImages test = IdxReader.readRaw(si, sl, "test", classNamesFor(tl));
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new DataFormatException(si, "test images are " + test.height() + "x" + test.width()
                    + " but training images are " + train.height() + "x" + train.width());
        }
        int val = train.size() > 2 * DataSplits.DEFAULT_VALIDATION_SIZE
                ? DataSplits.DEFAULT_VALIDATION_SIZE : Math.max(1, train.size() / 10);
        return RawSplits.of(folder.toString(), train, test, val);
    }

    private static String[] classNamesFor(Path labelsFile) throws IOException {
        int[] labels = IdxReader.readLabels(labelsFile);
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        if (max < CLASS_NAMES.length) {
            return CLASS_NAMES.clone();
        }
        String[] names = new String[max + 1];
        for (int i = 0; i <= max; i++) {
            names[i] = "class " + i;
        }
        return names;
    }

    private static Path require(Path folder, String base) throws DataFormatException {
        Path p = find(folder, base);
        if (p == null) {
            throw new DataFormatException(folder.resolve(base), "missing: the folder needs " + base
                    + " (or " + base + ".gz) next to the other idx files");
        }
        return p;
    }

    private static Path find(Path folder, String base) {
        for (String name : new String[]{base + ".gz", base, base.replace("-idx", ".idx")}) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
