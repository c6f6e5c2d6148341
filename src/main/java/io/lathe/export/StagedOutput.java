package io.lathe.export;

import io.lathe.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a set of files into a folder all or nothing: each file is first written to a hidden temporary
 * file in the same folder, and only {@link #commit()} forces them to disk and renames them to their
 * names (atomic moves), so a crash never leaves a half-written artifact under its final name. The
 * single-file counterpart is {@link AtomicFiles}.
 * {@link #close()} without a commit deletes every temporary file and any folder this object created,
 * so a failed or cancelled export leaves nothing behind. Existing files are replaced only when
 * overwriting was allowed. Not thread-safe.
 */
public final class StagedOutput implements AutoCloseable {
    private final Path folder;
    private final boolean overwrite;
    private final Map<String, Path> staged = new LinkedHashMap<>();
    private final List<Path> createdFolders = new ArrayList<>();
    private boolean committed;
    private final Thread cleanupOnExit = new Thread(this::close, "lathe-export-cleanup");

    private StagedOutput(Path folder, boolean overwrite) {
        this.folder = folder;
        this.overwrite = overwrite;
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /**
     * Prepares {@code folder} (creating it if needed) for writing {@code names}.
     *
     * @throws IOException with a plain message when the folder cannot be created or written, or when a
     *                     file exists and {@code overwrite} is false
     */
    public static StagedOutput open(Path folder, List<String> names, boolean overwrite) throws IOException {
        Path abs = folder.toAbsolutePath().normalize();
        StagedOutput out = new StagedOutput(abs, overwrite);
        try {
            out.createFolders(abs);
            Path probe;
            try {
                probe = Files.createTempFile(abs, ".lathe-probe", ".tmp");
            } catch (IOException e) {
                throw new AccessDeniedException(abs + ": the export folder is not writable; choose another folder");
            }
            Files.delete(probe);
            List<String> existing = new ArrayList<>();
            for (String n : names) {
                if (Files.exists(abs.resolve(n))) {
                    existing.add(n);
                }
            }
            if (!existing.isEmpty() && !overwrite) {
                throw new FileAlreadyExistsException(abs + ": " + String.join(", ", existing) + " already exist"
                        + (existing.size() == 1 ? "s" : "") + "; allow overwriting (CLI: --force) or choose another folder");
            }
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private void createFolders(Path abs) throws IOException {
        List<Path> missing = new ArrayList<>();
        Path p = abs;
        while (p != null && !Files.exists(p)) {
            missing.add(0, p);
            p = p.getParent();
        }
        if (p != null && !Files.isDirectory(p)) {
            throw new AccessDeniedException(abs + ": cannot create the export folder because " + p
                    + " is a file, not a folder; choose another folder");
        }
        for (Path m : missing) {
            try {
                Files.createDirectory(m);
            } catch (IOException e) {
                throw new AccessDeniedException(abs + ": cannot create the export folder (" + e.getMessage()
                        + "); choose a folder you can write to");
            }
            createdFolders.add(m);
        }
        if (!Files.isDirectory(abs)) {
            throw new AccessDeniedException(abs + ": not a folder; choose a folder for the export");
        }
    }

    /** The folder written to. */
    public Path folder() {
        return folder;
    }

    /** Writes {@code bytes} as the staged content of {@code name}; returns the temporary file (readable for verification). */
    public Path write(String name, byte[] bytes) throws IOException {
        Path tmp = newTemp(name);
        Files.write(tmp, bytes);
        return tmp;
    }

    /** A new temporary file for {@code name}, to be filled by the caller (e.g. DL4J's serializer). */
    public Path newTemp(String name) throws IOException {
        Path old = staged.remove(name);
        if (old != null) {
            Files.deleteIfExists(old);
        }
        Path tmp = Files.createTempFile(folder, "." + name + ".", ".tmp");
        staged.put(name, tmp);
        return tmp;
    }

    /** The staged temporary file of {@code name}. */
    public Path staged(String name) {
        return staged.get(name);
    }

    /** Moves every staged file to its name. Returns the final paths. */
    public List<Path> commit() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : staged.entrySet()) {
            Path target = folder.resolve(e.getKey());
            if (Files.exists(target) && !overwrite) {
                throw new FileAlreadyExistsException(target + " appeared during the export; allow overwriting or choose another folder");
            }
            readableByAll(e.getValue());
            AtomicFiles.force(e.getValue());
            Files.move(e.getValue(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            out.add(target);
        }
        staged.clear();
        committed = true;
        return out;
    }

    /** Temporary files are private (0600); exported files get ordinary permissions (0644) where POSIX applies. */
    private static void readableByAll(Path p) throws IOException {
        if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * Deletes uncommitted temporary files and the folders this object created (if left empty). Also runs
     * if the JVM is shut down during the export (e.g. Ctrl-C on the CLI).
     */
    @Override
    public synchronized void close() {
        if (Thread.currentThread() != cleanupOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to run; cleaning up here as well is harmless.
            }
        }
        for (Path p : staged.values()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                p.toFile().deleteOnExit();
            }
        }
        staged.clear();
        if (!committed) {
            for (int i = createdFolders.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(createdFolders.get(i));
                } catch (IOException e) {
                    break;
                }
            }
        }
    }
}
