package io.lathe.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image files of a class-per-folder directory, in class order (sorted folder names) then file
 * name order, with their sizes and modification times: what an {@link ImageCache} entry is keyed by.
 */
record Listing(Path dir, List<Path> files, int[] labels, String[] classNames, long[] sizes, long[] mtimes) {

    /** Lists {@code dir}'s class sub-folders and their images. */
    static Listing of(Path dir) throws IOException {
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(dir)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new DataFormatException(dir, "no class sub-folders: put each class's images in its own folder");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        String[] names = new String[classDirs.size()];
        for (int c = 0; c < classDirs.size(); c++) {
            names[c] = classDirs.get(c).getFileName().toString();
            try (Stream<Path> s = Files.list(classDirs.get(c))) {
                for (Path f : s.filter(ImageFolderReader::isImage).sorted().toList()) {
                    files.add(f);
                    labels.add(c);
                }
            }
        }
        long[] sizes = new long[files.size()];
        long[] mtimes = new long[files.size()];
        for (int i = 0; i < files.size(); i++) {
            BasicFileAttributes a = Files.readAttributes(files.get(i), BasicFileAttributes.class);
            sizes[i] = a.size();
            mtimes[i] = a.lastModifiedTime().toMillis();
        }
        return new Listing(dir, List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray(), names,
                sizes, mtimes);
    }

    /** SHA-256 over the absolute folder, every file's relative path, size and mtime, and {@code key}. */
    String fingerprint(String key) {
        MessageDigest md = Fingerprints.sha256();
        md.update(("lathe-images-1\n" + key + "\n" + dir.toAbsolutePath().normalize() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < files.size(); i++) {
            md.update((dir.relativize(files.get(i)) + "\t" + sizes[i] + "\t" + mtimes[i] + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
