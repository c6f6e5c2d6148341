package io.lathe.files;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;

/**
 * The CLI's JSON printer. A number that is not finite (NaN, infinity: e.g. the accuracy of a class
 * with no images) is written as {@code null}, never as the string "NaN", so the output stays JSON.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(finiteNumbers());

    private Json() {
    }

    public static void print(Object value) {
        System.out.println(write(value));
        System.out.flush();
    }

    /** The text {@link #print} writes. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON: " + e.getMessage(), e);
        }
    }

    private static SimpleModule finiteNumbers() {
        SimpleModule m = new SimpleModule("finite-numbers");
        JsonSerializer<Double> d = new JsonSerializer<>() {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                writeDouble(v, g);
            }
        };
        JsonSerializer<Float> f = new JsonSerializer<>() {
            @Override
            public void serialize(Float v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (Float.isFinite(v)) {
                    g.writeNumber(v);
                } else {
                    g.writeNull();
                }
            }
        };
        m.addSerializer(Double.class, d);
        m.addSerializer(Double.TYPE, d);
        m.addSerializer(Float.class, f);
        m.addSerializer(Float.TYPE, f);
        m.addSerializer(double[].class, new JsonSerializer<>() {
            @Override
            public void serialize(double[] v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray();
                for (double x : v) {
                    writeDouble(x, g);
                }
                g.writeEndArray();
            }
        });
        m.addSerializer(float[].class, new JsonSerializer<>() {
            @Override
            public void serialize(float[] v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray();
                for (float x : v) {
                    if (Float.isFinite(x)) {
                        g.writeNumber(x);
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEndArray();
            }
        });
        return m;
    }

    private static void writeDouble(double v, JsonGenerator g) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }
}
