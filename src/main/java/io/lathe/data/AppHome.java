package io.lathe.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds Lathe's installation folder (the one holding {@code sample-models}) from where the code runs. */
public final class AppHome {
    private AppHome() {
    }

    /** The nearest folder at or above the running jar/classes that holds {@code sample-models}, or null. */
    public static Path find() {
        String override = System.getProperty("lathe.home");
        if (override != null) {
            return Path.of(override);
        }
        try {
            Path p = Path.of(AppHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
                if (Files.isDirectory(p.resolve("sample-models"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
        return null;
    }

    /**
     * Where Lathe keeps data it can recompute (decoded image folders, per-pixel mean images): the system
     * property {@code lathe.cache}, else {@code $XDG_CACHE_HOME/lathe}, else {@code ~/.cache/lathe}.
     * The property set to {@code off} turns caching off (null).
     */
    public static Path cacheFolder() {
        String override = System.getProperty("lathe.cache");
        if ("off".equals(override)) {
            return null;
        }
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("lathe");
    }

    /**
     * Where Lathe keeps what the user chose (such as a model's preprocessing): the system property
     * {@code lathe.config}, else {@code $XDG_CONFIG_HOME/lathe}, else {@code ~/.config/lathe} (the
     * folder the workbench's settings use).
     */
    public static Path configFolder() {
        String override = System.getProperty("lathe.config");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("lathe");
    }

    /** A file under {@code sample-models}: relative to the working folder if there, else to the app home. */
    public static Path sampleModel(String fileName) {
        Path local = Path.of("sample-models", fileName);
        if (Files.exists(local)) {
            return local;
        }
        Path home = find();
        return home == null ? local : home.resolve("sample-models").resolve(fileName);
    }
}
