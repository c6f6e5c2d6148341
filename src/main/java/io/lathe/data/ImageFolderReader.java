package io.lathe.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Reads an image folder with one sub-folder per class (PNG/JPEG/BMP/GIF), converting each image to
 * the model's input shape (grey or RGB). A folder holding {@code train/} uses it, with {@code val/} as
 * the validation split when present (else the last 10% of each class of {@code train/}) and
 * {@code test/} as the test split when present (else another 10% of each class). Without
 * {@code train/}, images are split per class 80/10/10 (train/validation/test). Class indices follow
 * the sorted class names of the training folder; {@code val/} and {@code test/} are matched by name
 * (they may lack a class, never add one). Every split is deterministic. Decoding runs on a small thread
 * pool, and a folder once read is kept in {@link ImageCache} until a file changes.
 */
public final class ImageFolderReader {
    private static final long SEED = 42;

    private ImageFolderReader() {
    }

    /** True if {@code folder} looks like an image folder (has sub-folders). */
    public static boolean isImageFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.anyMatch(Files::isDirectory);
        }
    }

    /** Loads and splits an image folder for a model input of {@code channels×height×width}, scaled x/255. */
    public static DataSplits load(Path folder, int channels, int height, int width) throws IOException {
        return DataLoader.prepare(loadRaw(folder, channels, height, width, 0, 0), Preprocessing.unit(), null);
    }

    /** The splits as read (pixels 0-255); {@code resize}/{@code crop} as in {@link Preprocessing}. */
    static RawSplits loadRaw(Path folder, int channels, int height, int width, int resize, int crop)
            throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new DataFormatException(folder, "data folder not found");
        }
        ImageDecoder decoder = new ImageDecoder(channels, height, width, resize, crop);
        String key = channels + "x" + height + "x" + width + "/" + resize + "/" + crop;
        Path trainDir = folder.resolve("train");
        if (Files.isDirectory(trainDir)) {
            RawImages train = cachedRead(trainDir, decoder, key, "train", null);
            Path valDir = folder.resolve("val");
            Path testDir = folder.resolve("test");
            RawImages val = Files.isDirectory(valDir) ? cachedRead(valDir, decoder, key, "validation",
                    train.classNames()) : null;
            RawImages test = Files.isDirectory(testDir) ? cachedRead(testDir, decoder, key, "test",
                    train.classNames()) : null;
            return perClassSplit(folder, train, val, test);
        }
        RawImages all = cachedRead(folder, decoder, key, folder.getFileName().toString(), null);
        if (all.size() < 3) {
            throw new DataFormatException(folder, "only " + all.size() + " images; need at least 3 to split");
        }
        return perClassSplit(folder, all, null, null);
    }

    /**
     * Reads every image below {@code folder}'s class sub-folders (sorted by name = class index), scaled
     * to [0, 1].
     */
    public static LabeledImages read(Path folder, int channels, int height, int width, String name) throws IOException {
        RawImages raw = read(folder, new ImageDecoder(channels, height, width, 0, 0), name, null);
        return Preprocessor.apply(raw, Preprocessing.unit(), null);
    }

    /**
     * Takes the validation (when {@code val} is null) and test (when {@code test} is null) images from the
     * end of each class of {@code train}, 10% each (at least one when a class has 3 or more), in file
     * order; the rest of {@code train} is shuffled with a fixed seed so that its first images mix the
     * classes (BatchNorm re-estimation reads the first training images).
     */
    private static RawSplits perClassSplit(Path folder, RawImages train, RawImages val, RawImages test) {
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        for (int c = 0; c < train.classes(); c++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                if (train.labels()[i] == c) {
                    idx.add(i);
                }
            }
            int n = idx.size();
            int nVal = val != null ? 0 : Math.max(n >= 3 ? 1 : 0, n / 10);
            int nTest = test != null ? 0 : Math.max(n >= 3 ? 1 : 0, n / 10);
            int keep = n - nVal - nTest;
            tr.addAll(idx.subList(0, keep));
            va.addAll(idx.subList(keep, keep + nVal));
            te.addAll(idx.subList(keep + nVal, n));
        }
        Collections.shuffle(tr, new Random(SEED));
        if (val == null) {
            Collections.shuffle(va, new Random(SEED + 1));
        }
        RawImages trainSplit = train.select(toArray(tr), "train");
        RawImages valSplit = val != null ? RawSplits.rename(val, "validation") : train.select(toArray(va), "validation");
        RawImages testSplit = test != null ? RawSplits.rename(test, "test") : train.select(toArray(te), "test");
        if (trainSplit.size() == 0 || valSplit.size() == 0 || testSplit.size() == 0) {
            throw new IllegalArgumentException(folder + ": too few images to split (train " + trainSplit.size()
                    + ", validation " + valSplit.size() + ", test " + testSplit.size()
                    + "); put at least 3 images in each class folder");
        }
        return new RawSplits(folder.toString(), trainSplit, valSplit, testSplit);
    }

    private static RawImages cachedRead(Path dir, ImageDecoder decoder, String key, String name, String[] classOrder)
            throws IOException {
        Listing listing = Listing.of(dir);
        ImageCache cache = ImageCache.inDefaultFolder();
        String fp = listing.fingerprint(key);
        RawImages hit = cache == null ? null : cache.load(fp, name);
        RawImages raw = hit != null ? hit : decodeAll(listing, decoder, name);
        if (hit == null && cache != null) {
            cache.store(fp, raw);
        }
        return classOrder == null ? raw : matchClasses(dir, raw, classOrder);
    }

    private static RawImages read(Path dir, ImageDecoder decoder, String name, String[] classOrder) throws IOException {
        RawImages raw = decodeAll(Listing.of(dir), decoder, name);
        return classOrder == null ? raw : matchClasses(dir, raw, classOrder);
    }

    /** {@code raw} relabelled to the class order of the training folder, matched by name. */
    static RawImages matchClasses(Path dir, RawImages raw, String[] classOrder) throws DataFormatException {
        List<String> order = Arrays.asList(classOrder);
        int[] map = new int[raw.classes()];
        for (int c = 0; c < raw.classes(); c++) {
            map[c] = order.indexOf(raw.classNames()[c]);
            if (map[c] < 0) {
                throw new DataFormatException(dir.resolve(raw.classNames()[c]), "class '" + raw.classNames()[c]
                        + "' is not among the training classes (" + String.join(", ", classOrder)
                        + "); rename or remove the folder");
            }
        }
        return raw.relabel(map, classOrder.clone());
    }

    private static RawImages decodeAll(Listing listing, ImageDecoder decoder, String name) throws IOException {
        int n = listing.files().size();
        if (n == 0) {
            throw new DataFormatException(listing.dir(), "the class folders hold no PNG/JPEG images");
        }
        int size = decoder.imageSize();
        byte[] px = new byte[n * size];
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lathe-image-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> parts = new ArrayList<>();
            int chunk = (n + threads - 1) / threads;
            for (int from = 0; from < n; from += chunk) {
                int a = from;
                int b = Math.min(n, from + chunk);
                parts.add(pool.submit(() -> {
                    for (int i = a; i < b; i++) {
                        try {
                            decoder.decode(listing.files().get(i), px, i * size);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading " + listing.dir());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException(listing.dir() + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new RawImages(name, px, listing.labels(), decoder.channels(), decoder.height(), decoder.width(),
                listing.classNames());
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
