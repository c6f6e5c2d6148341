package io.lathe.session;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests and results as JSON text: a request carries a {@code "kind"} ("evaluate", "sensitivity")
 * and its fields; a result is written with non-finite numbers as null. Reading is strict: an unknown
 * field or kind is refused with a message naming it.
 */
public final class Requests {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).addModule(nullsAsNaN()).build();

    private Requests() {
    }

    /** Reads null elements of a number array as NaN: results write non-finite numbers as null. */
    private static SimpleModule nullsAsNaN() {
        SimpleModule m = new SimpleModule("nulls-as-nan");
        m.addDeserializer(double[].class, new JsonDeserializer<>() {
            @Override
            public double[] deserialize(JsonParser p, DeserializationContext c) throws IOException {
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    return (double[]) c.handleUnexpectedToken(double[].class, p);
                }
                List<Double> values = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    values.add(t == JsonToken.VALUE_NULL ? Double.NaN : p.getDoubleValue());
                }
                return values.stream().mapToDouble(Double::doubleValue).toArray();
            }
        });
        return m;
    }

    /** The request as one line of JSON. */
    public static String toJson(Request<?> request) {
        try {
            return MAPPER.writerFor(Request.class).writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the request: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a request.
     *
     * @throws IllegalArgumentException naming what is wrong (not JSON, unknown kind or field, bad value)
     */
    public static Request<?> fromJson(String json) {
        try {
            return MAPPER.readValue(json, Request.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a Lathe request: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid Lathe request: " + e.getMessage(), e);
        }
    }

    /** A result as JSON (non-finite numbers as null). */
    public static String resultJson(Object result) {
        return io.lathe.files.Json.write(result);
    }

    /** Reads a result of {@code type} back (null numbers as NaN). */
    public static <T> T resultFromJson(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
