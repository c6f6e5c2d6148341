package io.lathe.eval;

import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * {@code bench eval}: inference throughput with DL4J's stock settings (plain native build, layer
 * helpers off — measured in a child JVM, since a JVM can load only one native build), with Lathe's
 * tuned settings on the network as loaded, and with Lathe's engine ({@link InferenceGraph}: BatchNorm
 * folded, NHWC) (this JVM), in one run, with achieved GFLOP/s and a GEMM roofline; the stock engine is
 * also measured at a second batch size (the ONNX Runtime comparison's).
 */
public final class EngineComparison {
    private EngineComparison() {
    }

    /**
     * Runs the comparison on {@code images} (validation images) at {@code batch}, the stock engine also at
     * {@code secondBatch}.
     */
    public static Map<String, Object> run(LoadedModel model, String modelPath, LabeledImages images, int batch,
                                          int secondBatch) throws IOException, InterruptedException {
        Engine.configure();
        long macs = LayerTree.of(model).totalMacs();
        double tuned = ThroughputBench.imagesPerSecond(model.graph(), images, batch, 3);
        double engine = ThroughputBench.engineImagesPerSecond(model.graph(), images, batch, 3);
        double gemm = ThroughputBench.gemmGflops(1024, 5);
        Stock stock = runStock(modelPath, Math.min(images.size(), 2 * Math.max(batch, secondBatch)),
                batch + "," + secondBatch);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.name());
        out.put("batch", batch);
        out.put("macsPerImage", macs);
        out.put("stockImagesPerSec", round(stock.rate(batch)));
        out.put("tunedImagesPerSec", round(tuned));
        out.put("latheImagesPerSec", round(engine));
        out.put("ratio", round(tuned / stock.rate(batch)));
        out.put("latheOverStock", round(engine / stock.rate(batch)));
        out.put("stockMsAtRuntimeBatch", round(secondBatch * 1000.0 / stock.rate(secondBatch)));
        out.put("gflops", round(2.0 * macs * tuned / 1e9));
        out.put("latheGflops", round(2.0 * macs * engine / 1e9));
        out.put("stockGflops", round(2.0 * macs * stock.rate(batch) / 1e9));
        out.put("gemmGflops", round(gemm));
        out.put("fractionOfRoofline", round(2.0 * macs * tuned / 1e9 / gemm));
        out.put("tunedEngine", Engine.status().toString());
        out.put("stockEngine", stock.engine);
        return out;
    }

    private record Stock(Map<Integer, Double> rates, String engine) {
        double rate(int batch) {
            return rates.get(batch);
        }
    }

    private static Stock runStock(String modelPath, int images, String batches) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx4g");
        cmd.add("-D" + Engine.HELPERS_DISABLE + "=true");
        cmd.add("-D" + Engine.PLATFORM_EXTENSION + "=");
        cmd.add("-cp");
        cmd.add(stockClassPath());
        cmd.add(StockWorker.class.getName());
        cmd.add(modelPath);
        cmd.add(String.valueOf(images));
        cmd.add(batches);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !out.contains("imagesPerSecond=")) {
            throw new IOException("the stock-engine measurement failed: " + out.strip());
        }
        Map<Integer, Double> rates = new LinkedHashMap<>();
        String line = null;
        for (String l : out.lines().filter(s -> s.startsWith("imagesPerSecond=")).toList()) {
            String[] f = l.split(" ");
            rates.put(Integer.parseInt(f[1].substring("batch=".length())),
                    Double.parseDouble(f[0].substring("imagesPerSecond=".length())));
            line = l;
        }
        String engine = line.contains("oneDnn=true") ? "oneDNN build" : "plain native build";
        engine += line.contains("helpers=true") ? ", layer helpers on" : ", layer helpers off";
        return new Stock(rates, engine);
    }

    /** This JVM's class path with the oneDNN native build removed (expanding a jar manifest's Class-Path). */
    static String stockClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(e);
            if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e))) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        Path base = Path.of(e).toAbsolutePath().getParent();
                        for (String rel : cp.trim().split("\\s+")) {
                            entries.add(base.resolve(rel).toString());
                        }
                    }
                }
            }
        }
        List<String> kept = entries.stream().filter(s -> !s.contains("-onednn")).toList();
        return String.join(File.pathSeparator, kept);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
