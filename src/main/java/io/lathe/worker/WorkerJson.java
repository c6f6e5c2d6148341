package io.lathe.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.file.Path;

/** The worker protocol's JSON reading: one mapper, and field readers that name what is missing. */
final class WorkerJson {
    /** Reads NaN and infinities, which a diverging loss can produce. */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private WorkerJson() {
    }

    /** Parses one line; malformed JSON becomes an {@link IllegalArgumentException} naming the problem. */
    static JsonNode parse(String line) {
        try {
            JsonNode n = MAPPER.readTree(line);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object: " + abbreviate(line));
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + "): " + abbreviate(line), e);
        }
    }

    static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("the request has no \"" + field + "\"");
            }
            return null;
        }
        return v.asText();
    }

    static Path path(JsonNode n, String field, boolean required) {
        String s = text(n, field, required);
        return s == null ? null : Path.of(s);
    }

    static JsonNode object(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException("the request has no \"" + field + "\" object");
        }
        return v;
    }

    static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a whole number, got " + v);
        }
        return v.asInt();
    }

    /** A number; null or a missing field is NaN, and the strings "NaN"/"Infinity" are read as such. */
    static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble(Double.NaN);
    }

    static long longValue(JsonNode n, String field) {
        return n.path(field).asLong();
    }
}
