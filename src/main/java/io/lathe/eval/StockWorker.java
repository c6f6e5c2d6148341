package io.lathe.eval;

import io.lathe.data.FashionMnist;
import io.lathe.data.LabeledImages;
import io.lathe.engine.Engine;
import io.lathe.model.LoadedModel;
import io.lathe.model.ModelLoader;

/**
 * The child process of {@code bench eval} that measures DL4J with its stock settings: started by
 * {@link EngineComparison} with the plain native build on the class path and layer helpers disabled,
 * it prints one line per batch size (a comma-separated list) {@code imagesPerSecond=<value> batch=<n>
 * oneDnn=<bool> helpers=<bool>}.
 */
public final class StockWorker {
    private StockWorker() {
    }

    public static void main(String[] args) throws Exception {
        Engine.configure();
        LoadedModel model = ModelLoader.load(args[0]);
        int images = Integer.parseInt(args[1]);
        LabeledImages val = FashionMnist.load().validation().limit(images);
        for (String b : args[2].split(",")) {
            int batch = Integer.parseInt(b);
            double rate = ThroughputBench.imagesPerSecond(model.graph(), val, batch, 3);
            System.out.println("imagesPerSecond=" + rate + " batch=" + batch + " oneDnn=" + Engine.status().oneDnn()
                    + " helpers=" + Engine.status().helpersEnabled());
        }
    }
}
