package io.lathe.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 binary version: {@code data_batch_1.bin} … {@code data_batch_5.bin} and
 * {@code test_batch.bin}, each record one label byte then 3,072 bytes (1,024 red, 1,024 green,
 * 1,024 blue, row-major 32×32), and {@code batches.meta.txt} (one class name a line). Train = the
 * training batches in order less their last 5,000 images, which are the validation split (as for
 * idx data); test = {@code test_batch.bin}.
 */
final class CifarBinaryReader {
    static final int SIDE = 32;
    static final int RECORD = 1 + 3 * SIDE * SIDE;
    private static final String TEST = "test_batch.bin";
    private static final String META = "batches.meta.txt";

    private CifarBinaryReader() {
    }

    /** True when {@code folder} holds {@code data_batch_1.bin} and {@code test_batch.bin}. */
    static boolean isCifarBinary(Path folder) {
        return Files.isRegularFile(folder.resolve("data_batch_1.bin")) && Files.isRegularFile(folder.resolve(TEST));
    }

    /** The splits as read (pixels 0-255, RGB). */
    static RawSplits loadRaw(Path folder) throws IOException {
        List<Path> batches = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path b = folder.resolve("data_batch_" + i + ".bin");
            if (Files.isRegularFile(b)) {
                batches.add(b);
            } else if (i > 1 && Files.isRegularFile(folder.resolve("data_batch_" + (i + 1) + ".bin"))) {
                throw new DataFormatException(b, "missing: the training batches must be numbered from 1 without gaps");
            }
        }
        String[] names = classNames(folder);
        byte[][] trainParts = new byte[batches.size()][];
        for (int i = 0; i < batches.size(); i++) {
            trainParts[i] = Files.readAllBytes(batches.get(i));
            check(batches.get(i), trainParts[i]);
        }
        RawImages train = decode(trainParts, batches, names, "train");
        Path testFile = folder.resolve(TEST);
        byte[] testBytes = Files.readAllBytes(testFile);
        check(testFile, testBytes);
        RawImages test = decode(new byte[][]{testBytes}, List.of(testFile), names, "test");
        int val = train.size() > 2 * DataSplits.DEFAULT_VALIDATION_SIZE
                ? DataSplits.DEFAULT_VALIDATION_SIZE : Math.max(1, train.size() / 10);
        if (train.size() < 2) {
            throw new DataFormatException(batches.get(0), "only " + train.size() + " training image(s); need at least 2");
        }
        return RawSplits.of(folder.toString(), train, test, val);
    }

    private static void check(Path file, byte[] bytes) throws DataFormatException {
        if (bytes.length == 0 || bytes.length % RECORD != 0) {
            throw new DataFormatException(file, bytes.length + " bytes is not a whole number of CIFAR-10 records ("
                    + RECORD + " bytes each: 1 label byte + 3,072 pixel bytes)");
        }
    }

    private static RawImages decode(byte[][] parts, List<Path> files, String[] names, String split)
            throws DataFormatException {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length / RECORD;
        }
        int size = RECORD - 1;
        byte[] px = new byte[n * size];
        int[] labels = new int[n];
        int k = 0;
        for (int f = 0; f < parts.length; f++) {
            byte[] p = parts[f];
            for (int r = 0; r < p.length / RECORD; r++, k++) {
                int label = p[r * RECORD] & 0xff;
                if (label >= names.length) {
                    throw new DataFormatException(files.get(f), "record " + r + " has label " + label
                            + ", outside the " + names.length + " classes");
                }
                labels[k] = label;
                System.arraycopy(p, r * RECORD + 1, px, k * size, size);
            }
        }
        return new RawImages(split, px, labels, 3, SIDE, SIDE, names);
    }

    private static String[] classNames(Path folder) throws IOException {
        Path meta = folder.resolve(META);
        if (!Files.isRegularFile(meta)) {
            return new String[]{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                    "truck"};
        }
        List<String> names = Files.readAllLines(meta).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new DataFormatException(meta, "holds no class names (one name a line expected)");
        }
        return names.toArray(String[]::new);
    }
}
