package io.lathe.structure;

import io.lathe.model.LayerInfo;
import io.lathe.compress.Factorization;
import io.lathe.compress.Factorization.Mode;
import io.lathe.compress.Svd;
import io.lathe.model.LayerTree;
import io.lathe.model.LoadedModel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Low-rank factorization by truncated SVD: a dense layer becomes two dense layers through a rank-r
 * bottleneck; a k×k convolution becomes a k×1 convolution into r channels followed by a 1×k one
 * (spatial SVD, Jaderberg et al. / Tai et al.); a 1×1 convolution becomes two 1×1 convolutions
 * (channel SVD). The second part keeps the original name, bias, activation and stride along its axis,
 * so everything downstream is unchanged; the first is named {@code <layer>.lowrank}. At full rank the
 * factorized layer computes what the original did. Engine thread only; the source model is untouched.
 */
public final class LowRank {
    /** Suffix of the inserted first factor. */
    public static final String FIRST_SUFFIX = ".lowrank";

    private LowRank() {
    }

    /**
     * A layer's singular-value spectrum and what each rank costs (for the rank slider).
     *
     * @param layer          layer name
     * @param mode           how it is factorized
     * @param singularValues descending
     * @param energy         cumulative energy kept at rank r, at index r-1
     * @param originalParams weights of the layer now
     * @param paramsPerRank  weights added by each unit of rank (factorized weights = rank × this)
     * @param breakEvenRank  the largest rank that still has fewer weights than the original
     */
    public record Spectrum(String layer, Mode mode, double[] singularValues, double[] energy, long originalParams,
                           long paramsPerRank, int breakEvenRank) {
        /** Full rank (factorization reproduces the layer exactly). */
        public int fullRank() {
            return singularValues.length;
        }

        /** Factorized weights at rank r. */
        public long paramsAt(int rank) {
            return rank * paramsPerRank;
        }

        /** The smallest rank keeping at least {@code fraction} of the energy. */
        public int rankFor(double fraction) {
            for (int r = 0; r < energy.length; r++) {
                if (energy[r] >= fraction) {
                    return r + 1;
                }
            }
            return energy.length;
        }
    }

    /** The factorization mode of a layer, or null if Lathe cannot factorize it. */
    public static Mode modeOf(LayerInfo l) {
        return Factorization.modeOf(l);
    }

    /** The spectrum of one layer's weights. */
    public static Spectrum spectrum(ComputationGraph graph, LayerInfo l) {
        Mode mode = requireMode(l);
        INDArray w = graph.getLayer(l.name()).getParam("W");
        Svd svd = Factorization.svd(w.dup('c').data().asFloat(), w.shape(), mode);
        long[] s = w.shape();
        return new Spectrum(l.name(), mode, svd.s(), svd.energy(), w.length(), Factorization.perRank(s, mode),
                Factorization.breakEvenRank(s, mode));
    }

    /** Spectra of every layer Lathe can factorize. */
    public static List<Spectrum> spectra(LoadedModel model, LayerTree tree) {
        List<Spectrum> out = new ArrayList<>();
        for (LayerInfo l : tree.prunableLayers()) {
            if (modeOf(l) != null) {
                out.add(spectrum(model.graph(), l));
            }
        }
        return out;
    }

    /** A new network with each layer in {@code ranks} factorized at its rank (exact SVD factors, full precision). */
    public static ComputationGraph factorize(LoadedModel model, LayerTree tree, Map<String, Integer> ranks) {
        Map<String, Factorization.Factors> factors = new HashMap<>();
        for (Map.Entry<String, Integer> e : ranks.entrySet()) {
            LayerInfo l = layer(tree, e.getKey());
            Mode mode = requireMode(l);
            INDArray w = model.graph().getLayer(l.name()).getParam("W");
            Svd svd = Factorization.svd(w.dup('c').data().asFloat(), w.shape(), mode);
            int rank = e.getValue();
            if (rank < 1 || rank > svd.s().length) {
                throw new IllegalArgumentException("rank for '" + l.name() + "' must be 1.." + svd.s().length
                        + ", got " + rank);
            }
            factors.put(l.name(), Factorization.factor(svd, w.shape(), mode, rank));
        }
        return build(model.graph(), tree, factors);
    }

    /**
     * A new network where each layer in {@code factors} is two layers holding the given factor weights
     * (the second keeps the layer's name, bias and activation; the first is {@code <layer>.lowrank});
     * every other parameter, and configuration detail such as activation thresholds, is copied from
     * {@code source}, which is not changed.
     */
    public static ComputationGraph build(ComputationGraph source, LayerTree tree,
                                         Map<String, Factorization.Factors> factors) {
        ComputationGraphConfiguration conf = source.getConfiguration().clone();
        ComputationGraphConfiguration.GraphBuilder b = new ComputationGraphConfiguration.GraphBuilder(conf,
                new NeuralNetConfiguration.Builder());
        for (Map.Entry<String, Factorization.Factors> e : factors.entrySet()) {
            LayerInfo l = layer(tree, e.getKey());
            Mode mode = requireMode(l);
            int rank = e.getValue().rank();
            FeedForwardLayer orig = (FeedForwardLayer) ((LayerVertex) conf.getVertices().get(l.name()))
                    .getLayerConf().getLayer();
            List<String> inputs = conf.getVertexInputs().get(l.name());
            b.removeVertex(l.name(), false);
            String first = l.name() + FIRST_SUFFIX;
            if (mode == Mode.DENSE) {
                DenseLayer d1 = new DenseLayer.Builder().nIn(orig.getNIn()).nOut(rank).hasBias(false)
                        .activation(Activation.IDENTITY).build();
                copyTrainingSettings(orig, d1);
                FeedForwardLayer d2 = (FeedForwardLayer) orig.clone();
                d2.setNIn(rank);
                b.addLayer(first, d1, inputs.toArray(new String[0]));
                b.addLayer(l.name(), d2, first);
            } else {
                ConvolutionLayer c = (ConvolutionLayer) orig;
                ConvolutionLayer c1 = (ConvolutionLayer) c.clone();
                ConvolutionLayer c2 = (ConvolutionLayer) c.clone();
                int[] k = c.getKernelSize();
                int[] st = c.getStride();
                int[] pad = c.getPadding();
                int[] dil = c.getDilation();
                boolean spatial = mode == Mode.SPATIAL;
                c1.setKernelSize(new int[]{spatial ? k[0] : 1, 1});
                c1.setStride(new int[]{st[0], spatial ? 1 : st[1]});
                c1.setPadding(new int[]{spatial ? pad[0] : 0, 0});
                c1.setDilation(new int[]{dil[0], 1});
                c1.setNOut(rank);
                c1.setHasBias(false);
                c1.setActivationFn(Activation.IDENTITY.getActivationFunction());
                c2.setKernelSize(new int[]{1, spatial ? k[1] : 1});
                c2.setStride(new int[]{1, spatial ? st[1] : 1});
                c2.setPadding(new int[]{0, spatial ? pad[1] : 0});
                c2.setDilation(new int[]{1, dil[1]});
                c2.setNIn(rank);
                b.addLayer(first, c1, inputs.toArray(new String[0]));
                b.addLayer(l.name(), c2, first);
            }
        }
        ComputationGraphConfiguration built = b.build();
        built.setIterationCount(0);
        built.setEpochCount(0);
        ComputationGraph target = new ComputationGraph(built);
        target.init();
        for (org.deeplearning4j.nn.api.Layer layer : target.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            if (name.endsWith(FIRST_SUFFIX) && factors.containsKey(baseName(name))) {
                Factorization.Factors f = factors.get(baseName(name));
                INDArray w = layer.getParam("W");
                w.assign(Nd4j.create(f.first(), w.shape(), 'c'));
                continue;
            }
            org.deeplearning4j.nn.api.Layer old = source.getLayer(name);
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                if (factors.containsKey(name) && "W".equals(p.getKey())) {
                    p.getValue().assign(Nd4j.create(factors.get(name).second(), p.getValue().shape(), 'c'));
                } else {
                    p.getValue().assign(old.getParam(p.getKey()));
                }
            }
        }
        return target;
    }

    /** The original layer a first factor belongs to ({@code x.lowrank} → {@code x}). */
    public static String baseName(String firstFactor) {
        return firstFactor.substring(0, firstFactor.length() - FIRST_SUFFIX.length());
    }

    private static LayerInfo layer(LayerTree tree, String name) {
        LayerInfo l = tree.layer(name);
        if (l == null) {
            throw new IllegalArgumentException("no layer named '" + name + "'");
        }
        return l;
    }

    private static void copyTrainingSettings(FeedForwardLayer from, DenseLayer to) {
        to.setIUpdater(from.getIUpdater());
        to.setRegularization(from.getRegularization());
        to.setWeightInitFn(from.getWeightInitFn());
    }

    private static Mode requireMode(LayerInfo l) {
        Mode m = modeOf(l);
        if (m == null) {
            throw new IllegalArgumentException("layer '" + l.name() + "' (" + l.kind().label()
                    + ") cannot be factorized: Lathe factorizes dense layers and standard convolutions");
        }
        return m;
    }
}
