package io.lathe.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Decoded image folders kept as raw pixels in Lathe's cache folder, one file per folder read, named by
 * the {@link Listing} fingerprint (so any added, removed or changed file makes a new entry). Only the
 * most recent {@value #KEEP} entries are kept. A damaged entry is ignored and rewritten.
 */
final class ImageCache {
    static final int KEEP = 6;
    private static final int MAGIC = 0x4c494331; // "LIC1"
    private final Path dir;

    ImageCache(Path dir) {
        this.dir = dir;
    }

    /** The cache under {@link AppHome#cacheFolder()}, or null when caching is off. */
    static ImageCache inDefaultFolder() {
        Path base = AppHome.cacheFolder();
        return base == null ? null : new ImageCache(base.resolve("images"));
    }

    /** The entry for {@code fingerprint}, or null if there is none (or it is unreadable). */
    RawImages load(String fingerprint, String name) throws IOException {
        Path file = dir.resolve(fingerprint + ".bin");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(fingerprint)) {
                return null;
            }
            int c = in.readInt();
            int h = in.readInt();
            int w = in.readInt();
            int n = in.readInt();
            int k = in.readInt();
            if (c <= 0 || h <= 0 || w <= 0 || n < 0 || k <= 0 || (long) n * c * h * w > Integer.MAX_VALUE) {
                return null;
            }
            String[] names = new String[k];
            for (int i = 0; i < k; i++) {
                names[i] = in.readUTF();
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
                if (labels[i] < 0 || labels[i] >= k) {
                    return null;
                }
            }
            byte[] px = new byte[n * c * h * w];
            in.readFully(px);
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            return new RawImages(name, px, labels, c, h, w, names);
        } catch (EOFException e) {
            return null;
        }
    }

    /** Stores {@code images} under {@code fingerprint} (atomically), then drops the oldest entries. */
    void store(String fingerprint, RawImages images) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(fingerprint + ".bin");
        Path tmp = Files.createTempFile(dir, fingerprint, ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
            out.writeInt(MAGIC);
            out.writeUTF(fingerprint);
            out.writeInt(images.channels());
            out.writeInt(images.height());
            out.writeInt(images.width());
            out.writeInt(images.size());
            out.writeInt(images.classes());
            for (String n : images.classNames()) {
                out.writeUTF(n);
            }
            for (int l : images.labels()) {
                out.writeInt(l);
            }
            out.write(images.pixels());
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        prune();
    }

    private void prune() throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> p.getFileName().toString().endsWith(".bin"))
                    .sorted(Comparator.comparing(ImageCache::mtime).reversed()).toList();
        }
        for (int i = KEEP; i < entries.size(); i++) {
            Files.deleteIfExists(entries.get(i));
        }
    }

    /** Modification time for ordering; an entry that vanished meanwhile sorts as oldest (it is gone anyway). */
    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
