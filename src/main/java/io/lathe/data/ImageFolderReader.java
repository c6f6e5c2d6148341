package io.lathe.data;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Reads an image folder with one sub-folder per class (PNG/JPEG/BMP/GIF), converting each image to
 * the model's input shape (grey or RGB, resized). A folder holding {@code train/} and {@code test/}
 * uses them; otherwise images are split per class 80/10/10 (train/validation/test) with a fixed seed.
 */
public final class ImageFolderReader {
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

    /** Loads and splits an image folder for a model input of {@code channels×height×width}. */
    public static DataSplits load(Path folder, int channels, int height, int width) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new DataFormatException(folder, "data folder not found");
        }
        if (Files.isDirectory(folder.resolve("train")) && Files.isDirectory(folder.resolve("test"))) {
            LabeledImages train = read(folder.resolve("train"), channels, height, width, "train");
            LabeledImages test = read(folder.resolve("test"), channels, height, width, "test");
            int val = Math.max(1, train.size() / 10);
            int[] order = shuffled(train.size(), 42);
            LabeledImages shuffled = train.select(order, "train");
            return DataSplits.of(folder.toString(), shuffled, test, val);
        }
        LabeledImages all = read(folder, channels, height, width, folder.getFileName().toString());
        if (all.size() < 3) {
            throw new DataFormatException(folder, "only " + all.size() + " images; need at least 3 to split");
        }
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        for (int c = 0; c < all.classes(); c++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (all.label(i) == c) {
                    idx.add(i);
                }
            }
            java.util.Collections.shuffle(idx, new Random(42 + c));
            int n = idx.size();
            int nVal = Math.max(n >= 3 ? 1 : 0, n / 10);
            int nTest = Math.max(n >= 3 ? 1 : 0, n / 10);
            te.addAll(idx.subList(0, nTest));
            va.addAll(idx.subList(nTest, nTest + nVal));
            tr.addAll(idx.subList(nTest + nVal, n));
        }
        return new DataSplits(folder.toString(), all.select(toArray(tr), "train"), all.select(toArray(va), "validation"),
                all.select(toArray(te), "test"));
    }

    /** Reads every image below {@code folder}'s class sub-folders (sorted by name = class index). */
    public static LabeledImages read(Path folder, int channels, int height, int width, String name) throws IOException {
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(folder)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new DataFormatException(folder, "no class sub-folders: put each class's images in its own folder");
        }
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        String[] classNames = new String[classDirs.size()];
        for (int c = 0; c < classDirs.size(); c++) {
            classNames[c] = classDirs.get(c).getFileName().toString();
            List<Path> files;
            try (Stream<Path> s = Files.list(classDirs.get(c))) {
                files = s.filter(ImageFolderReader::isImage).sorted().toList();
            }
            for (Path f : files) {
                BufferedImage img = ImageIO.read(f.toFile());
                if (img == null) {
                    throw new DataFormatException(f, "not a readable image (PNG, JPEG, BMP or GIF expected)");
                }
                images.add(convert(img, channels, height, width));
                labels.add(c);
            }
        }
        if (images.isEmpty()) {
            throw new DataFormatException(folder, "the class folders hold no PNG/JPEG images");
        }
        int size = channels * height * width;
        float[] pixels = new float[images.size() * size];
        int[] lb = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, pixels, i * size, size);
            lb[i] = labels.get(i);
        }
        return new LabeledImages(name, pixels, lb, channels, height, width, classNames.length, classNames);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp") || n.endsWith(".gif");
    }

    /** Resizes and converts an image to CHW floats in [0, 1]. */
    static float[] convert(BufferedImage src, int channels, int height, int width) {
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, width, height, null);
        g.dispose();
        float[] out = new float[channels * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = scaled.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f;
                float gg = ((rgb >> 8) & 0xff) / 255f;
                float b = (rgb & 0xff) / 255f;
                if (channels == 1) {
                    out[y * width + x] = 0.299f * r + 0.587f * gg + 0.114f * b;
                } else {
                    out[y * width + x] = r;
                    out[height * width + y * width + x] = gg;
                    out[2 * height * width + y * width + x] = b;
                }
            }
        }
        return out;
    }

    private static int[] shuffled(int n, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        java.util.Collections.shuffle(idx, new Random(seed));
        return toArray(idx);
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
