package io.lathe.compress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
import io.lathe.model.LayerTree;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the plan file (DESIGN.md "Plan file"): {@code format "lathe-plan"}, version 2
 * (version 1 files, which have no {@code lowRank} or {@code activation} entries, are still read).
 * Reading is strict: unknown fields, bad numbers, unknown or non-prunable layers and a plan made for
 * another model are refused with a {@link PlanException} naming the line and the field; nothing is
 * applied partially.
 */
public final class PlanJson {
    public static final String FORMAT = "lathe-plan";
    public static final int VERSION = 2;
    /** The oldest version this Lathe reads. */
    public static final int OLDEST_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    /** Serialises a plan. */
    public static String write(Plan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode model = root.putObject("model");
        model.put("name", plan.modelName());
        model.put("sha256", plan.modelSha256());
        ObjectNode defaults = root.putObject("defaults");
        writePrune(defaults.putObject("prune"), plan.defaultPrune());
        writeQuant(defaults.putObject("quant"), plan.defaultQuant());
        if (!plan.defaultShare().isNone()) {
            defaults.putObject("share").put("bits", plan.defaultShare().bits());
        }
        if (plan.batchNormImages() > 0) {
            root.putObject("calibration").put("batchNormImages", plan.batchNormImages());
        }
        ObjectNode layers = root.putObject("layers");
        plan.layers().forEach((name, s) -> {
            ObjectNode l = layers.putObject(name);
            if (s.prune() != null) {
                writePrune(l.putObject("prune"), s.prune());
            }
            if (s.quant() != null) {
                writeQuant(l.putObject("quant"), s.quant());
            }
            if (s.share() != null) {
                l.putObject("share").put("bits", s.share().bits());
            }
            if (s.lowRank() != null) {
                ObjectNode r = l.putObject("lowRank");
                if (s.lowRank().rank() != null) {
                    r.put("rank", s.lowRank().rank());
                } else {
                    r.put("energy", s.lowRank().energy());
                }
            }
            if (s.activation() != null) {
                l.putObject("activation").put("threshold", s.activation().threshold());
            }
            if (s.locked()) {
                l.put("locked", true);
            }
        });
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePrune(ObjectNode n, PruneSetting p) {
        n.put("granularity", p.granularity().key());
        if (p.threshold() != null) {
            n.put("threshold", p.threshold());
        } else {
            n.put("sparsity", p.sparsity());
        }
        if (p.granularity() == Granularity.BLOCK) {
            n.put("block", p.blockShape());
        }
        if (p.granularity() != Granularity.ELEMENT) {
            n.put("criterion", p.criterion());
        }
    }

    private static void writeQuant(ObjectNode n, QuantSetting q) {
        n.put("bits", q.bits());
        n.put("perChannel", q.perChannel());
        if (!q.symmetric()) {
            n.put("symmetric", false);
        }
    }

    /** Parses a plan without checking it against a model. */
    public static Plan read(String text) throws PlanException {
        return read(text, null, null);
    }

    /**
     * Parses a plan and, when {@code tree} is given, checks every layer exists and is prunable and that
     * the plan was made for {@code modelSha256} (when both are known).
     */
    public static Plan read(String text, LayerTree tree, String modelSha256) throws PlanException {
        Map<String, Integer> lines = lineIndex(text);
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new PlanException(line, "(file)", "not valid JSON: " + e.getOriginalMessage());
        }
        Reader r = new Reader(lines);
        if (root == null || !root.isObject()) {
            throw new PlanException(1, "(file)", "a plan file is a JSON object");
        }
        r.allowOnly(root, "", Set.of("format", "version", "model", "defaults", "calibration", "layers"));
        if (!FORMAT.equals(r.text(root, "", "format", true))) {
            throw r.error("format", "must be \"" + FORMAT + "\" (is this a Lathe plan file?)");
        }
        int version = r.integer(root, "", "version");
        if (version < OLDEST_VERSION || version > VERSION) {
            throw r.error("version", "version " + version + " is not supported; this Lathe reads versions "
                    + OLDEST_VERSION + " to " + VERSION + (version > VERSION ? " (a newer Lathe wrote it)" : ""));
        }
        String modelName = null;
        String sha = null;
        JsonNode model = root.get("model");
        if (model != null) {
            r.object(model, "model");
            r.allowOnly(model, "model", Set.of("name", "sha256"));
            modelName = r.text(model, "model", "name", false);
            sha = r.text(model, "model", "sha256", false);
        }
        if (tree != null && modelSha256 != null && sha != null && !sha.equalsIgnoreCase(modelSha256)) {
            throw r.error("model.sha256", "this plan was made for model '" + modelName + "' (" + abbrev(sha)
                    + "), not the open model (" + abbrev(modelSha256) + "). Open that model, or remove the "
                    + "\"model\" entry to apply the plan anyway.");
        }
        PruneSetting dPrune = PruneSetting.NONE;
        QuantSetting dQuant = QuantSetting.NONE;
        ShareSetting dShare = ShareSetting.NONE;
        JsonNode defaults = root.get("defaults");
        if (defaults != null) {
            r.object(defaults, "defaults");
            r.allowOnly(defaults, "defaults", Set.of("prune", "quant", "share"));
            if (defaults.has("prune")) {
                dPrune = r.prune(defaults.get("prune"), "defaults.prune");
            }
            if (defaults.has("quant")) {
                dQuant = r.quant(defaults.get("quant"), "defaults.quant");
            }
            if (defaults.has("share")) {
                dShare = r.share(defaults.get("share"), "defaults.share");
            }
            if (!dShare.isNone() && !dQuant.isNone()) {
                throw r.error("defaults.share", "weight sharing replaces quantization: give \"share\" or a "
                        + "\"quant\" below 32 bits as the default, not both");
            }
        }
        int bnImages = 0;
        JsonNode calibration = root.get("calibration");
        if (calibration != null) {
            r.object(calibration, "calibration");
            r.allowOnly(calibration, "calibration", Set.of("batchNormImages"));
            bnImages = r.integer(calibration, "calibration", "batchNormImages");
            if (bnImages < 0) {
                throw r.error("calibration.batchNormImages", "must be 0 (off) or a number of training images, not "
                        + bnImages);
            }
        }
        Map<String, LayerSettings> layers = new LinkedHashMap<>();
        JsonNode ls = root.get("layers");
        if (ls != null) {
            r.object(ls, "layers");
            Iterator<Map.Entry<String, JsonNode>> it = ls.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = "layers." + e.getKey();
                JsonNode l = e.getValue();
                r.object(l, path);
                r.allowOnly(l, path, version >= 2 ? Set.of("prune", "quant", "share", "locked", "lowRank", "activation")
                        : Set.of("prune", "quant", "share", "locked"));
                if (tree != null) {
                    checkLayer(r, tree.layer(e.getKey()), e.getKey(), path, l);
                }
                PruneSetting p = l.has("prune") ? r.prune(l.get("prune"), path + ".prune") : null;
                QuantSetting q = l.has("quant") ? r.quant(l.get("quant"), path + ".quant") : null;
                ShareSetting sh = l.has("share") ? r.share(l.get("share"), path + ".share") : null;
                if (sh != null && !sh.isNone() && q != null && !q.isNone()) {
                    throw r.error(path + ".share", "weight sharing replaces quantization: give \"share\" or a "
                            + "\"quant\" below 32 bits for this layer, not both");
                }
                LowRankSetting lr = l.has("lowRank") ? r.lowRank(l.get("lowRank"), path + ".lowRank") : null;
                PruneSetting effective = p != null ? p : dPrune;
                if (lr != null && !lr.isNone() && effective.granularity() == Granularity.CHANNEL && !effective.isNone()) {
                    throw r.error(path + ".lowRank", "channel pruning and low-rank factorization on one layer: "
                            + "choose one (element or block pruning applies to the factors)");
                }
                ActivationSetting act = l.has("activation") ? r.activation(l.get("activation"), path + ".activation")
                        : null;
                boolean locked = l.has("locked") && r.bool(l, path, "locked");
                layers.put(e.getKey(), new LayerSettings(p, q, locked, sh, lr, act));
            }
        }
        return new Plan(modelName, sha, dPrune, dQuant, layers, dShare, bnImages);
    }

    /** Checks a layer entry against the model: the layer exists and takes the settings given. */
    private static void checkLayer(Reader r, LayerInfo info, String name, String path, JsonNode l) throws PlanException {
        if (info == null) {
            throw r.error(path, "no layer named '" + name + "' in this model");
        }
        if (info.kind() == LayerKind.ACTIVATION) {
            for (String f : List.of("prune", "quant", "share", "lowRank")) {
                if (l.has(f)) {
                    throw r.error(path + "." + f, "layer '" + name + "' is an activation layer: it takes only an "
                            + "\"activation\" threshold");
                }
            }
            return;
        }
        if (l.has("activation")) {
            throw r.error(path + ".activation", "layer '" + name + "' (" + info.kind().label() + ") is not an "
                    + "activation layer: activation thresholds go on ReLU layers");
        }
        if (!info.prunable()) {
            throw r.error(path, "layer '" + name + "' (" + info.kind().label()
                    + ") has no weights Lathe can prune or quantize");
        }
        if (l.has("lowRank") && info.kind() != LayerKind.CONV && info.kind() != LayerKind.DENSE
                && info.kind() != LayerKind.OUTPUT) {
            throw r.error(path + ".lowRank", "layer '" + name + "' (" + info.kind().label() + ") cannot be factorized: "
                    + "Lathe factorizes convolutions and dense layers");
        }
    }

    private static String abbrev(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) + "…" : sha;
    }

    /** Maps each field's dotted path to the line it starts on. */
    static Map<String, Integer> lineIndex(String text) {
        Map<String, Integer> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(text)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<Boolean> isObject = new ArrayDeque<>();
            String pendingField = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        pendingField = p.getCurrentName();
                        String full = join(path, pendingField);
                        out.putIfAbsent(full, p.getTokenLocation().getLineNr());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (!isObject.isEmpty()) {
                            path.addLast(pendingField == null ? "[]" : pendingField);
                        }
                        isObject.push(t == JsonToken.START_OBJECT);
                        pendingField = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        isObject.pop();
                        if (!path.isEmpty()) {
                            path.removeLast();
                        }
                    }
                    default -> pendingField = null;
                }
            }
        } catch (IOException e) {
            // Syntax errors are reported by the tree parse with their own location.
        }
        return out;
    }

    private static String join(Deque<String> path, String field) {
        return path.isEmpty() ? field : String.join(".", path) + "." + field;
    }

    /** Field readers that name the line and the field in every error. */
    private static final class Reader {
        private final Map<String, Integer> lines;

        Reader(Map<String, Integer> lines) {
            this.lines = lines;
        }

        PlanException error(String path, String problem) {
            Integer line = lines.get(path);
            String p = path;
            while (line == null && p.contains(".")) {
                p = p.substring(0, p.lastIndexOf('.'));
                line = lines.get(p);
            }
            return new PlanException(line == null ? 0 : line, path, problem);
        }

        private static String at(String parent, String field) {
            return parent.isEmpty() ? field : parent + "." + field;
        }

        void object(JsonNode n, String path) throws PlanException {
            if (!n.isObject()) {
                throw error(path, "must be a JSON object, found " + n.getNodeType().name().toLowerCase());
            }
        }

        void allowOnly(JsonNode n, String path, Set<String> allowed) throws PlanException {
            Iterator<String> it = n.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw error(at(path, f), "unknown field; expected one of " + allowed);
                }
            }
        }

        String text(JsonNode parent, String path, String field, boolean required) throws PlanException {
            JsonNode n = parent.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error(at(path, field), "missing");
                }
                return null;
            }
            if (!n.isTextual()) {
                throw error(at(path, field), "must be a string");
            }
            return n.asText();
        }

        int integer(JsonNode parent, String path, String field) throws PlanException {
            JsonNode n = parent.get(field);
            if (n == null) {
                throw error(at(path, field), "missing");
            }
            if (!n.isIntegralNumber()) {
                throw error(at(path, field), "must be a whole number, found " + n);
            }
            return n.asInt();
        }

        double number(JsonNode parent, String path, String field) throws PlanException {
            JsonNode n = parent.get(field);
            if (!n.isNumber()) {
                throw error(at(path, field), "must be a number, found " + n);
            }
            return n.asDouble();
        }

        boolean bool(JsonNode parent, String path, String field) throws PlanException {
            JsonNode n = parent.get(field);
            if (!n.isBoolean()) {
                throw error(at(path, field), "must be true or false, found " + n);
            }
            return n.asBoolean();
        }

        PruneSetting prune(JsonNode n, String path) throws PlanException {
            object(n, path);
            allowOnly(n, path, Set.of("granularity", "threshold", "sparsity", "block", "criterion"));
            Granularity g = Granularity.ELEMENT;
            if (n.has("granularity")) {
                String gs = text(n, path, "granularity", true);
                try {
                    g = Granularity.parse(gs);
                } catch (IllegalArgumentException e) {
                    throw error(at(path, "granularity"), e.getMessage());
                }
            }
            boolean hasT = n.has("threshold");
            boolean hasS = n.has("sparsity");
            if (hasT == hasS) {
                throw error(path, hasT ? "give either threshold or sparsity, not both"
                        : "needs a threshold (absolute magnitude) or a sparsity (fraction removed)");
            }
            Double t = null;
            Double s = null;
            if (hasT) {
                t = number(n, path, "threshold");
                if (t < 0 || t.isNaN() || t.isInfinite()) {
                    throw error(at(path, "threshold"), "must be a magnitude >= 0, found " + t);
                }
            } else {
                s = number(n, path, "sparsity");
                if (!(s >= 0 && s < 1)) {
                    throw error(at(path, "sparsity"), "must be a fraction from 0 up to (not including) 1, found " + s);
                }
            }
            String block = n.has("block") ? text(n, path, "block", true) : null;
            String criterion = n.has("criterion") ? text(n, path, "criterion", true) : null;
            try {
                return new PruneSetting(g, t, s, block, criterion);
            } catch (IllegalArgumentException e) {
                throw error(at(path, n.has("block") && e.getMessage().contains("block") ? "block" : "criterion"),
                        e.getMessage());
            }
        }

        LowRankSetting lowRank(JsonNode n, String path) throws PlanException {
            object(n, path);
            allowOnly(n, path, Set.of("rank", "energy"));
            if (n.has("rank") == n.has("energy")) {
                throw error(path, "give \"rank\" (bottleneck width) or \"energy\" (fraction of the spectrum to keep), "
                        + "exactly one");
            }
            if (n.has("rank")) {
                int rank = integer(n, path, "rank");
                if (rank < 1) {
                    throw error(at(path, "rank"), "must be at least 1, found " + rank);
                }
                return LowRankSetting.rank(rank);
            }
            double e = number(n, path, "energy");
            if (!(e > 0 && e <= 1)) {
                throw error(at(path, "energy"), "must be a fraction in (0, 1], found " + e);
            }
            return LowRankSetting.energy(e);
        }

        ActivationSetting activation(JsonNode n, String path) throws PlanException {
            object(n, path);
            allowOnly(n, path, Set.of("threshold"));
            double t = number(n, path, "threshold");
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw error(at(path, "threshold"), "must be a number >= 0 (0 = plain ReLU), found " + t);
            }
            return ActivationSetting.threshold(t);
        }

        ShareSetting share(JsonNode n, String path) throws PlanException {
            object(n, path);
            allowOnly(n, path, Set.of("bits"));
            int bits = integer(n, path, "bits");
            if (bits < 0 || bits > 8) {
                throw error(at(path, "bits"), "must be 1..8 (2^bits shared values) or 0 (off), found " + bits);
            }
            return new ShareSetting(bits);
        }

        QuantSetting quant(JsonNode n, String path) throws PlanException {
            object(n, path);
            allowOnly(n, path, Set.of("bits", "perChannel", "symmetric"));
            int bits = integer(n, path, "bits");
            if (!(bits == 32 || bits == 16 || (bits >= 2 && bits <= 8))) {
                throw error(at(path, "bits"), "must be 32 (off), 16 (FP16) or 2..8, found " + bits);
            }
            boolean perChannel = !n.has("perChannel") || bool(n, path, "perChannel");
            boolean symmetric = !n.has("symmetric") || bool(n, path, "symmetric");
            return new QuantSetting(bits, perChannel, symmetric);
        }
    }
}
