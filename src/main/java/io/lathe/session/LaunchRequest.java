package io.lathe.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the window is asked to open at start: {@code lathe MODEL [--data DIR] [--preprocess P]}.
 * Arguments that name a subcommand (or start with an option) are for the command line instead.
 *
 * @param model      the model file to open, or null for the bundled sample
 * @param data       the data folder, or null for the model's own or the bundled data
 * @param preprocess a preprocessing preset name or JSON file, or null for the model's own
 */
public record LaunchRequest(Path model, Path data, String preprocess) {
    private static final Set<String> MODEL_ENDINGS = Set.of(".zip", ".onnx", ".h5", ".hdf5", ".keras", ".json");

    /** The request with nothing given: the bundled sample model and data. */
    public static LaunchRequest sample() {
        return new LaunchRequest(null, null, null);
    }

    /**
     * The window request these arguments make, or empty when they are a command line (a subcommand,
     * {@code --help}, {@code --version}). Empty arguments open the sample.
     *
     * @throws IllegalArgumentException when the arguments name a model but are otherwise malformed
     */
    public static Optional<LaunchRequest> parse(String[] args) {
        if (args.length == 0) {
            return Optional.of(sample());
        }
        String first = args[0];
        if (first.startsWith("-") || !looksLikeModel(first)) {
            return Optional.empty();
        }
        Path data = null;
        String preprocess = null;
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        while (!rest.isEmpty()) {
            String opt = rest.remove(0);
            if (rest.isEmpty() || !(opt.equals("--data") || opt.equals("--preprocess"))) {
                throw new IllegalArgumentException("unexpected '" + opt + "' after the model: the window takes "
                        + "MODEL [--data DIR] [--preprocess NAME|file.json]");
            }
            String value = rest.remove(0);
            if (opt.equals("--data")) {
                data = Path.of(value);
            } else {
                preprocess = value;
            }
        }
        return Optional.of(new LaunchRequest(Path.of(first), data, preprocess));
    }

    private static boolean looksLikeModel(String arg) {
        if (arg.toLowerCase(Locale.ROOT).startsWith("zoo:")) {
            return true;
        }
        String lower = arg.toLowerCase(Locale.ROOT);
        return MODEL_ENDINGS.stream().anyMatch(lower::endsWith) || Files.exists(Path.of(arg));
    }

    /** The arguments that hand this request to the JavaFX application (its raw parameters). */
    public String[] toArgs() {
        List<String> out = new ArrayList<>();
        if (model != null) {
            out.add(model.toString());
        }
        if (data != null) {
            out.add("--data");
            out.add(data.toString());
        }
        if (preprocess != null) {
            out.add("--preprocess");
            out.add(preprocess);
        }
        return out.toArray(String[]::new);
    }
}
