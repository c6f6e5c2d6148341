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
 * helpers off — measured in a child JVM, since a JVM can load only one native build) and with
 * Lathe's tuned settings (this JVM), in one run, with achieved GFLOP/s and a GEMM roofline.
 */
public final class EngineComparison {
    private EngineComparison() {
    }

    /** Runs the comparison on {@code images} (validation images) at {@code batch}. */
    public static Map<String, Object> run(LoadedModel model, String modelPath, LabeledImages images, int batch)
            throws IOException, InterruptedException {
        Engine.configure();
        long macs = LayerTree.of(model).totalMacs();
        double tuned = ThroughputBench.imagesPerSecond(model.graph(), images, batch, 3);
        double gemm = ThroughputBench.gemmGflops(1024, 5);
        Stock stock = runStock(modelPath, Math.min(images.size(), 2 * batch), batch);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.name());
        out.put("batch", batch);
        out.put("macsPerImage", macs);
        out.put("stockImagesPerSec", round(stock.rate));
        out.put("tunedImagesPerSec", round(tuned));
        out.put("ratio", round(tuned / stock.rate));
        out.put("gflops", round(2.0 * macs * tuned / 1e9));
        out.put("stockGflops", round(2.0 * macs * stock.rate / 1e9));
        out.put("gemmGflops", round(gemm));
        out.put("fractionOfRoofline", round(2.0 * macs * tuned / 1e9 / gemm));
        out.put("tunedEngine", Engine.status().toString());
        out.put("stockEngine", stock.engine);
        return out;
    }

    private record Stock(double rate, String engine) {
    }

    private static Stock runStock(String modelPath, int images, int batch) throws IOException, InterruptedException {
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
        cmd.add(String.valueOf(batch));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !out.contains("imagesPerSecond=")) {
            throw new IOException("the stock-engine measurement failed: " + out.strip());
        }
        String line = out.lines().filter(l -> l.startsWith("imagesPerSecond=")).findFirst().orElseThrow();
        double rate = Double.parseDouble(line.split(" ")[0].substring("imagesPerSecond=".length()));
        String engine = line.contains("oneDnn=true") ? "oneDNN build" : "plain native build";
        engine += line.contains("helpers=true") ? ", layer helpers on" : ", layer helpers off";
        return new Stock(rate, engine);
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
