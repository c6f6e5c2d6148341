package io.lathe.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST-format idx files, plain or gzip'd: images (magic 2051, unsigned bytes, N×H×W) and
 * labels (magic 2049, N bytes). Every problem is reported as a {@link DataFormatException} naming the
 * file and what is wrong (wrong magic, truncated, counts that do not match).
 */
public final class IdxReader {
    static final int IMAGE_MAGIC = 2051;
    static final int LABEL_MAGIC = 2049;

    private IdxReader() {
    }

    /** Raw idx image content: {@code count} images of {@code rows}×{@code cols} unsigned bytes. */
    public record IdxImages(int count, int rows, int cols, byte[] data) {
    }

    /** Reads an idx3 image file. */
    public static IdxImages readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            if (magic != IMAGE_MAGIC) {
                throw new DataFormatException(file, "not an idx image file (magic " + magic + ", expected "
                        + IMAGE_MAGIC + (magic == LABEL_MAGIC ? "; this is a label file" : "") + ")");
            }
            int count = readHeaderInt(in, file, "image count");
            int rows = readHeaderInt(in, file, "row count");
            int cols = readHeaderInt(in, file, "column count");
            if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE) {
                throw new DataFormatException(file, "implausible header: " + count + " images of " + rows + "x" + cols);
            }
            byte[] data = new byte[count * rows * cols];
            readFully(in, data, file, count + " images of " + rows + "x" + cols);
            return new IdxImages(count, rows, cols, data);
        }
    }

    /** Reads an idx1 label file. */
    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            if (magic != LABEL_MAGIC) {
                throw new DataFormatException(file, "not an idx label file (magic " + magic + ", expected "
                        + LABEL_MAGIC + (magic == IMAGE_MAGIC ? "; this is an image file" : "") + ")");
            }
            int count = readHeaderInt(in, file, "label count");
            if (count < 0) {
                throw new DataFormatException(file, "negative label count " + count);
            }
            byte[] raw = new byte[count];
            readFully(in, raw, file, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        }
    }

    /**
     * Reads an image file and its label file into a labelled set scaled to [0, 1].
     *
     * @throws DataFormatException if either file is bad or their counts differ
     */
    public static LabeledImages read(Path imagesFile, Path labelsFile, String name, String[] classNames)
            throws IOException {
        return Preprocessor.apply(readRaw(imagesFile, labelsFile, name, classNames), Preprocessing.unit(), null);
    }

    /** Reads an image file and its label file as they are (pixels 0-255). */
    static RawImages readRaw(Path imagesFile, Path labelsFile, String name, String[] classNames)
            throws IOException {
        IdxImages images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new DataFormatException(labelsFile, labels.length + " labels but " + imagesFile.getFileName()
                    + " holds " + images.count() + " images: the two files do not belong together");
        }
        int classes = classNames.length;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new DataFormatException(labelsFile, "label " + labels[i] + " at position " + i
                        + " is outside the " + classes + " classes");
            }
        }
        return new RawImages(name, images.data(), labels, 1, images.rows(), images.cols(), classNames);
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, "file not found");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            try {
                raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (ZipException e) {
                raw.close();
                throw new DataFormatException(file, "corrupt gzip data: " + e.getMessage());
            }
        }
        return new DataInputStream(raw);
    }

    private static int readHeaderInt(DataInputStream in, Path file, String field) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(file, "truncated header: missing the " + field);
        } catch (ZipException e) {
            throw new DataFormatException(file, "corrupt gzip data: " + e.getMessage());
        }
    }

    private static void readFully(DataInputStream in, byte[] dst, Path file, String what) throws IOException {
        try {
            in.readFully(dst);
        } catch (EOFException e) {
            throw new DataFormatException(file, "truncated: the header promises " + what
                    + " but the file ends early");
        } catch (ZipException e) {
            throw new DataFormatException(file, "corrupt gzip data: " + e.getMessage());
        }
    }
}
