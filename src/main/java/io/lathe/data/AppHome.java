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
