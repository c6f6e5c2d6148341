package io.lathe.session;

import io.lathe.files.AtomicFiles;
import io.lathe.files.CorruptFiles;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What Lathe remembers between runs, kept in the user's config folder (not the working directory):
 * window layout and other key/value settings, recent files, and the last plan. The folder is
 * {@code $XDG_CONFIG_HOME/lathe} or {@code ~/.config/lathe}, or the system property
 * {@value #FOLDER_PROPERTY} (tests). Files are written atomically; a settings file that cannot be read
 * is set aside (renamed {@code settings.properties.corrupt-…}) and reported by {@link #problems()}.
 * Not thread-safe: use from one thread.
 */
public final class UserSettings {
    /** System property that overrides the config folder. */
    public static final String FOLDER_PROPERTY = "lathe.config";
    static final int MAX_RECENT = 8;
    private static final String SETTINGS_FILE = "settings.properties";
    private static final String LAST_PLAN_FILE = "last-plan.json";

    private final Path folder;
    private final Properties values = new Properties();
    private final List<String> problems = new ArrayList<>();

    private UserSettings(Path folder) {
        this.folder = folder;
    }

    /** The config folder in use (property, XDG, or ~/.config/lathe). */
    public static Path defaultFolder() {
        String override = System.getProperty(FOLDER_PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("lathe");
    }

    /**
     * Reads the settings in {@code folder}; a missing file gives empty settings, an unreadable one is set
     * aside (see {@link #problems()}) and gives empty settings.
     */
    public static UserSettings load(Path folder) {
        UserSettings s = new UserSettings(folder);
        Path file = folder.resolve(SETTINGS_FILE);
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                s.values.load(r);
            } catch (IOException | IllegalArgumentException e) {
                s.values.clear();
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                s.problems.add(CorruptFiles.setAside(file, "The settings file", why, Clock.systemDefaultZone()));
            }
        }
        return s;
    }

    /** What went wrong reading the remembered files (sentences for the user); empty when nothing did. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public Path folder() {
        return folder;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.getProperty(key));
    }

    public double getDouble(String key, double fallback) {
        try {
            return get(key).map(Double::parseDouble).orElse(fallback);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        return get(key).map(Boolean::parseBoolean).orElse(fallback);
    }

    public void put(String key, String value) {
        values.setProperty(key, value);
    }

    public void putDouble(String key, double value) {
        put(key, Double.toString(value));
    }

    public void putBoolean(String key, boolean value) {
        put(key, Boolean.toString(value));
    }

    /** Recent files, newest first, only those that still exist. */
    public List<Path> recentFiles() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            String v = values.getProperty("recent." + i);
            if (v != null && Files.exists(Path.of(v))) {
                out.add(Path.of(v));
            }
        }
        return out;
    }

    /** Puts {@code file} first in the recent list (no duplicates, at most {@value #MAX_RECENT}). */
    public void addRecent(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        List<String> list = new ArrayList<>();
        list.add(abs.toString());
        for (int i = 0; i < MAX_RECENT; i++) {
            String v = values.getProperty("recent." + i);
            if (v != null && !v.equals(abs.toString())) {
                list.add(v);
            }
            values.remove("recent." + i);
        }
        for (int i = 0; i < Math.min(MAX_RECENT, list.size()); i++) {
            values.setProperty("recent." + i, list.get(i));
        }
    }

    /** The data folder last opened with the model of this SHA-256, if it still exists. */
    public Optional<Path> dataFolderFor(String modelSha256) {
        return get("data." + modelSha256).map(Path::of).filter(java.nio.file.Files::isDirectory);
    }

    /** Remembers the data folder used with the model of this SHA-256 (saved with the settings). */
    public void rememberDataFolder(String modelSha256, Path folder) {
        put("data." + modelSha256, folder.toAbsolutePath().toString());
    }

    /** The last plan's file text, if one was remembered. */
    public Optional<String> lastPlan() {
        Path p = folder.resolve(LAST_PLAN_FILE);
        try {
            return Files.isRegularFile(p) ? Optional.of(Files.readString(p)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Remembers the plan file text for the next run (written atomically). */
    public void saveLastPlan(String planJson) throws IOException {
        AtomicFiles.writeString(folder.resolve(LAST_PLAN_FILE), planJson);
    }

    /** Writes the settings file atomically, creating the folder. */
    public void save() throws IOException {
        StringWriter w = new StringWriter();
        values.store(w, "Lathe settings");
        AtomicFiles.writeString(folder.resolve(SETTINGS_FILE), w.toString());
    }
}
