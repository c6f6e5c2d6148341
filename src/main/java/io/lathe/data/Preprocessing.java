package io.lathe.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a model expects its input pixels, a property of the model (DESIGN.md "Data and models"). Pixels
 * 0-255 become {@code x * scale}; then, with {@code pixelMean}, the per-pixel mean image of the
 * training split (after scaling) is subtracted; then {@code (x - mean[c]) / std[c]} per channel (when
 * given); then the channel order is applied ({@code BGR} swaps the first and third channel). Before all
 * that, at decode time, photos larger than the model input have their shorter side resized to
 * {@code resize} and a centre {@code crop}×{@code crop} taken (0 = not used). Immutable.
 *
 * @param name      preset name, or "custom" (a file's name when read from one)
 * @param scale     factor applied to 0-255 pixels
 * @param mean      per-channel mean subtracted after scaling, or null
 * @param std       per-channel divisor after subtracting {@code mean}, or null
 * @param pixelMean subtract the training split's per-pixel mean image
 * @param channels  channel order the model expects
 * @param resize    shorter side for large photos (0 = resize straight to the input)
 * @param crop      centre crop after {@code resize} (0 = none)
 */
public record Preprocessing(String name, double scale, float[] mean, float[] std, boolean pixelMean,
                            ChannelOrder channels, int resize, int crop) {
    /** Order of the colour channels in the model's input. */
    public enum ChannelOrder { RGB, BGR }

    /** The preset names, in the order they are offered. */
    public static final List<String> PRESETS = List.of("raw", "unit", "pixel-mean", "imagenet", "cifar10");

    private static final double UNIT_SCALE = 1.0 / 255.0;
    private static final Set<String> FIELDS = Set.of("name", "scale", "mean", "std", "pixelMean", "channels",
            "resize", "crop");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Preprocessing {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(channels, "channels");
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("preprocessing scale must be a positive number, not " + scale);
        }
        mean = mean == null ? null : mean.clone();
        std = std == null ? null : std.clone();
        if (mean != null && std != null && mean.length != std.length) {
            throw new IllegalArgumentException("preprocessing mean has " + mean.length + " values but std has "
                    + std.length + "; give one per channel");
        }
        if (std != null) {
            for (float s : std) {
                if (!(s > 0)) {
                    throw new IllegalArgumentException("preprocessing std values must be positive, not " + s);
                }
            }
        }
        if (resize < 0 || crop < 0) {
            throw new IllegalArgumentException("preprocessing resize and crop must be >= 0");
        }
        if (crop > 0 && resize > 0 && crop > resize) {
            throw new IllegalArgumentException("preprocessing crop " + crop + " is larger than resize " + resize);
        }
    }

    /** x/255: what a model without a stated preprocessing gets. */
    public static Preprocessing unit() {
        return new Preprocessing("unit", UNIT_SCALE, null, null, false, ChannelOrder.RGB, 0, 0);
    }

    /** The named preset ({@link #PRESETS}). */
    public static Preprocessing preset(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "raw" -> new Preprocessing("raw", 1.0, null, null, false, ChannelOrder.RGB, 0, 0);
            case "unit" -> unit();
            case "pixel-mean" -> new Preprocessing("pixel-mean", UNIT_SCALE, null, null, true, ChannelOrder.RGB, 0, 0);
            case "imagenet" -> new Preprocessing("imagenet", UNIT_SCALE, new float[]{0.485f, 0.456f, 0.406f},
                    new float[]{0.229f, 0.224f, 0.225f}, false, ChannelOrder.RGB, 256, 224);
            case "cifar10" -> new Preprocessing("cifar10", UNIT_SCALE, new float[]{0.4914f, 0.4822f, 0.4465f},
                    new float[]{0.2470f, 0.2435f, 0.2616f}, false, ChannelOrder.RGB, 0, 0);
            default -> throw new IllegalArgumentException("unknown preprocessing '" + name + "': use one of "
                    + String.join(", ", PRESETS) + ", or a JSON file");
        };
    }

    /**
     * A preset name, or the path of a JSON file in the DESIGN.md form (every field optional; an
     * unknown field is refused by name).
     */
    public static Preprocessing parse(String nameOrJsonFile) {
        Objects.requireNonNull(nameOrJsonFile, "preprocessing");
        String s = nameOrJsonFile.trim();
        if (PRESETS.contains(s.toLowerCase(Locale.ROOT))) {
            return preset(s);
        }
        Path file = Path.of(s);
        if (!s.toLowerCase(Locale.ROOT).endsWith(".json") && !Files.isRegularFile(file)) {
            return preset(s);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(s + ": preprocessing file not found");
        }
        try {
            String stem = file.getFileName().toString().replaceFirst("(?i)\\.json$", "");
            return fromJson(Files.readString(file), stem);
        } catch (IOException e) {
            throw new UncheckedIOException(s + ": could not read (" + e.getMessage() + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(s + ": " + e.getMessage(), e);
        }
    }

    /** Reads the JSON form (every field optional; missing ones as in {@link #unit()}). */
    public static Preprocessing fromJson(String json) {
        return fromJson(json, "custom");
    }

    /** Reads the JSON form, or a JSON string holding a preset name. */
    static Preprocessing fromJson(String json, String defaultName) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("preprocessing is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        return fromNode(node, defaultName);
    }

    /** A preset name (JSON string) or an object in the DESIGN.md form. */
    public static Preprocessing fromNode(JsonNode node, String defaultName) {
        if (node != null && node.isTextual()) {
            return preset(node.asText());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("preprocessing must be a JSON object or a preset name");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown preprocessing field \"" + f + "\"; known fields: "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        String name = node.has("name") ? text(node, "name") : defaultName;
        double scale = node.has("scale") ? number(node, "scale") : UNIT_SCALE;
        float[] mean = floats(node, "mean");
        float[] std = floats(node, "std");
        boolean pixelMean = node.has("pixelMean") && bool(node, "pixelMean");
        ChannelOrder order = ChannelOrder.RGB;
        if (node.has("channels")) {
            String c = text(node, "channels").toUpperCase(Locale.ROOT);
            try {
                order = ChannelOrder.valueOf(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("preprocessing \"channels\" must be RGB or BGR, not " + c, e);
            }
        }
        int resize = node.has("resize") ? integer(node, "resize") : 0;
        int crop = node.has("crop") ? integer(node, "crop") : 0;
        return new Preprocessing(name, scale, mean, std, pixelMean, order, resize, crop);
    }

    /** The JSON form, every field written (DESIGN.md). */
    public String toJson() {
        return toNode().toString();
    }

    /** The JSON form as a tree, for embedding in other JSON. */
    public ObjectNode toNode() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", name);
        o.put("scale", scale);
        putFloats(o, "mean", mean);
        putFloats(o, "std", std);
        o.put("pixelMean", pixelMean);
        o.put("channels", channels.name());
        o.put("resize", resize);
        o.put("crop", crop);
        return o;
    }

    /** One line for display, e.g. {@code cifar10: x/255, mean 0.4914/0.4822/0.4465, std …, RGB}. */
    public String describe() {
        StringBuilder b = new StringBuilder(name).append(": ");
        if (scale == 1.0) {
            b.append("pixels 0-255");
        } else if (Math.abs(scale - UNIT_SCALE) < 1e-12) {
            b.append("x/255");
        } else {
            b.append("x*").append(format(scale, 1e-12));
        }
        if (pixelMean) {
            b.append(", minus the training split's per-pixel mean");
        }
        if (mean != null) {
            b.append(", mean ").append(join(mean));
        }
        if (std != null) {
            b.append(", std ").append(join(std));
        }
        b.append(", ").append(channels.name());
        if (resize > 0) {
            b.append(", shorter side ").append(resize);
        }
        if (crop > 0) {
            b.append(", centre crop ").append(crop);
        }
        return b.toString();
    }

    /** The same preprocessing under another name. */
    public Preprocessing withName(String newName) {
        return new Preprocessing(newName, scale, mean, std, pixelMean, channels, resize, crop);
    }

    /** The same preprocessing without the decode-time resize/crop (it only matters for large photos). */
    public Preprocessing withoutResize() {
        return new Preprocessing(name, scale, mean, std, pixelMean, channels, 0, 0);
    }

    @Override
    public float[] mean() {
        return mean == null ? null : mean.clone();
    }

    @Override
    public float[] std() {
        return std == null ? null : std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && name.equals(p.name) && Double.compare(scale, p.scale) == 0
                && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std) && pixelMean == p.pixelMean
                && channels == p.channels && resize == p.resize && crop == p.crop;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, scale, Arrays.hashCode(mean), Arrays.hashCode(std), pixelMean, channels, resize,
                crop);
    }

    @Override
    public String toString() {
        return describe();
    }

    private static void putFloats(ObjectNode o, String field, float[] v) {
        if (v == null) {
            o.putNull(field);
            return;
        }
        ArrayNode a = o.putArray(field);
        for (float f : v) {
            a.add(Double.parseDouble(Float.toString(f)));
        }
    }

    private static String join(float[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : "/").append(format(v[i], 1e-6));
        }
        return b.toString();
    }

    /** Four decimals when that is exact to {@code tolerance}, else six significant digits. */
    private static String format(double v, double tolerance) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return Math.abs(v - Double.parseDouble(s)) < tolerance ? s : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("preprocessing \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("preprocessing \"" + field + "\" must be a number");
        }
        return v.asDouble();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("preprocessing \"" + field + "\" must be a whole number");
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("preprocessing \"" + field + "\" must be true or false");
        }
        return v.asBoolean();
    }

    private static float[] floats(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.isEmpty()) {
            throw new IllegalArgumentException("preprocessing \"" + field + "\" must be a list of numbers, one per "
                    + "channel");
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) {
                throw new IllegalArgumentException("preprocessing \"" + field + "\" must be a list of numbers");
            }
            out[i] = (float) v.get(i).asDouble();
        }
        return out;
    }
}
