package io.lathe.export;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of Lathe and its engines, recorded in reports so a result can be reproduced. */
public final class Versions {
    private Versions() {
    }

    /** Lathe, DL4J, ONNX Runtime and Java versions. */
    public static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("lathe", maven("io.lathe", "lathe", "0.1.0"));
        v.put("dl4j", maven("org.deeplearning4j", "deeplearning4j-nn", "1.0.0-M2.1"));
        String ort;
        try {
            ort = OnnxRunner.version();
        } catch (RuntimeException | LinkageError e) {
            ort = "unavailable";
        }
        v.put("onnxruntime", ort);
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        return v;
    }

    private static String maven(String group, String artifact, String fallback) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Versions.class.getResourceAsStream(res)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", fallback);
            }
        } catch (java.io.IOException e) {
            return fallback;
        }
        return fallback;
    }
}
