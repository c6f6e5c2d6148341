package io.lathe.files;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files all or nothing: the content goes to a hidden temporary file in the target's folder, is
 * forced to disk, and is then renamed over the target in one atomic move. A crash, a full disk or a
 * writer that throws midway leaves the old file exactly as it was and no temporary file behind (the
 * temporary file is deleted on failure; only a crash between creating it and the rename can leave
 * one, hidden, beside the target). Failures are {@link IOException}s whose message names the path:
 * "cannot write PATH: REASON; choose another folder". Thread-safe (no shared state).
 */
public final class AtomicFiles {
    /** Fills a stream with a file's content (a serializer, a zip writer, …). Must not keep the stream. */
    @FunctionalInterface
    public interface StreamContent {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Fills a file given by path (for APIs that only write to a {@link java.io.File}). */
    @FunctionalInterface
    public interface FileContent {
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, (StreamContent) out -> out.write(bytes));
    }

    /** Atomically replaces (or creates) {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Atomically replaces (or creates) {@code target} with what {@code content} writes to a stream. The
     * stream is buffered; closing it inside {@code content} is allowed and harmless.
     */
    public static void write(Path target, StreamContent content) throws IOException {
        Path tmp = createTemp(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new java.io.BufferedOutputStream(new KeepOpen(Channels.newOutputStream(ch)), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            replace(tmp, target);
        } catch (IOException | RuntimeException | Error e) {
            throw cleanUp(tmp, target, e);
        }
    }

    /**
     * Atomically replaces (or creates) {@code target} with the file {@code content} writes at the path it
     * is given (a temporary file beside the target, already created and empty).
     */
    public static void writeFile(Path target, FileContent content) throws IOException {
        Path tmp = createTemp(target);
        try {
            content.writeTo(tmp);
            force(tmp);
            replace(tmp, target);
        } catch (IOException | RuntimeException | Error e) {
            throw cleanUp(tmp, target, e);
        }
    }

    /** Forces a written file's content to disk (fsync), so a rename after it cannot expose a half-written file. */
    public static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** The message every failed write carries: "cannot write PATH: REASON; choose another folder". */
    public static String message(Path target, Throwable cause) {
        return "cannot write " + target.toAbsolutePath() + ": " + reason(cause) + "; choose another folder";
    }

    private static Path createTemp(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path folder = abs.getParent();
        try {
            Files.createDirectories(folder);
            if (Files.isDirectory(abs)) {
                throw new FileSystemException(abs.toString(), null, "it is a folder");
            }
            for (int attempt = 0; ; attempt++) {
                Path tmp = folder.resolve("." + abs.getFileName() + "." + Long.toHexString(
                        ThreadLocalRandom.current().nextLong() >>> 16) + ".tmp");
                try {
                    // Ordinary permissions (as a plain write would get), unlike Files.createTempFile's 0600.
                    Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                    return tmp;
                } catch (java.nio.file.FileAlreadyExistsException clash) {
                    if (attempt > 8) {
                        throw clash;
                    }
                }
            }
        } catch (IOException e) {
            throw new IOException(message(target, e), e);
        }
    }

    private static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Same folder, so this only happens on unusual file systems; a plain rename is still one step there.
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static IOException cleanUp(Path tmp, Path target, Throwable failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        if (failure instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith("cannot write ")) {
            return io;
        }
        if (failure instanceof UncheckedIOException u) {
            return new IOException(message(target, u.getCause()), u);
        }
        if (failure instanceof IOException io) {
            return new IOException(message(target, io), io);
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) failure;
    }

    private static String reason(Throwable t) {
        if (t instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (t instanceof NoSuchFileException) {
            return "the folder does not exist";
        }
        if (t instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Lets a writer close its stream without closing the channel before it is forced to disk. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
