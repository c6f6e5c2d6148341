package io.lathe.structure;

import io.lathe.model.LayerInfo;
import io.lathe.model.LayerKind;
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

    /** How a layer is factorized. */
    public enum Mode { DENSE, SPATIAL, CHANNEL }

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
        if (l.kind() == LayerKind.DENSE || l.kind() == LayerKind.OUTPUT) {
            return Mode.DENSE;
        }
        if (l.kind() == LayerKind.CONV) {
            return l.kernel()[0] == 1 && l.kernel()[1] == 1 ? Mode.CHANNEL : Mode.SPATIAL;
        }
        return null;
    }

    /** The spectrum of one layer's weights. */
    public static Spectrum spectrum(ComputationGraph graph, LayerInfo l) {
        Mode mode = requireMode(l);
        INDArray w = graph.getLayer(l.name()).getParam("W");
        Svd svd = Svd.of(matrix(w, mode));
        long[] s = w.shape();
        long perRank = mode == Mode.DENSE ? s[0] + s[1]
                : mode == Mode.CHANNEL ? s[0] + s[1] : s[1] * s[2] + s[0] * s[3];
        long original = w.length();
        int breakEven = (int) Math.max(0, (original - 1) / perRank);
        return new Spectrum(l.name(), mode, svd.s(), svd.energy(), original, perRank, breakEven);
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

    /** A new network with each layer in {@code ranks} factorized at its rank. */
    public static ComputationGraph factorize(LoadedModel model, LayerTree tree, Map<String, Integer> ranks) {
        ComputationGraph source = model.graph();
        ComputationGraphConfiguration conf = source.getConfiguration().clone();
        ComputationGraphConfiguration.GraphBuilder b = new ComputationGraphConfiguration.GraphBuilder(conf,
                new NeuralNetConfiguration.Builder());
        Map<String, float[][]> factors = new HashMap<>();
        for (Map.Entry<String, Integer> e : ranks.entrySet()) {
            LayerInfo l = tree.layer(e.getKey());
            if (l == null) {
                throw new IllegalArgumentException("no layer named '" + e.getKey() + "'");
            }
            Mode mode = requireMode(l);
            INDArray w = source.getLayer(l.name()).getParam("W");
            Svd svd = Svd.of(matrix(w, mode));
            int rank = e.getValue();
            if (rank < 1 || rank > svd.s().length) {
                throw new IllegalArgumentException("rank for '" + l.name() + "' must be 1.." + svd.s().length
                        + ", got " + rank);
            }
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
            factors.put(l.name(), split(svd, w.shape(), mode, rank));
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
            if (name.endsWith(FIRST_SUFFIX) && factors.containsKey(name.substring(0, name.length() - FIRST_SUFFIX.length()))) {
                float[][] f = factors.get(name.substring(0, name.length() - FIRST_SUFFIX.length()));
                INDArray w = layer.getParam("W");
                w.assign(Nd4j.create(f[0], w.shape(), 'c'));
                continue;
            }
            org.deeplearning4j.nn.api.Layer old = source.getLayer(name);
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                if (factors.containsKey(name) && "W".equals(p.getKey())) {
                    p.getValue().assign(Nd4j.create(factors.get(name)[1], p.getValue().shape(), 'c'));
                } else {
                    p.getValue().assign(old.getParam(p.getKey()));
                }
            }
        }
        return target;
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

    /**
     * The matrix whose SVD factorizes a weight tensor: dense {@code W[in][out]}; channel SVD
     * {@code M[i][o] = W[o,i]}; spatial SVD {@code M[(i,dy)][(o,dx)] = W[o,i,dy,dx]}.
     */
    static double[][] matrix(INDArray w, Mode mode) {
        float[] v = w.dup('c').data().asFloat();
        long[] s = w.shape();
        if (mode == Mode.DENSE) {
            int in = (int) s[0];
            int out = (int) s[1];
            double[][] m = new double[in][out];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    m[i][o] = v[i * out + o];
                }
            }
            return m;
        }
        int o = (int) s[0];
        int in = (int) s[1];
        int kh = (int) s[2];
        int kw = (int) s[3];
        int rh = mode == Mode.SPATIAL ? kh : kh * kw;
        int cw = mode == Mode.SPATIAL ? kw : 1;
        double[][] m = new double[in * rh][o * cw];
        for (int a = 0; a < o; a++) {
            for (int i = 0; i < in; i++) {
                for (int dy = 0; dy < kh; dy++) {
                    for (int dx = 0; dx < kw; dx++) {
                        m[i * rh + dy][a * cw + dx] = v[((a * in + i) * kh + dy) * kw + dx];
                    }
                }
            }
        }
        return m;
    }

    /** The two factors' weights in DL4J order for the new layers' shapes. */
    private static float[][] split(Svd svd, long[] shape, Mode mode, int rank) {
        double[][] u = svd.u();
        double[][] v = svd.v();
        double[] s = svd.s();
        if (mode == Mode.DENSE) {
            int in = (int) shape[0];
            int out = (int) shape[1];
            float[] w1 = new float[in * rank];
            float[] w2 = new float[rank * out];
            for (int r = 0; r < rank; r++) {
                double root = Math.sqrt(s[r]);
                for (int i = 0; i < in; i++) {
                    w1[i * rank + r] = (float) (u[r][i] * root);
                }
                for (int o = 0; o < out; o++) {
                    w2[r * out + o] = (float) (v[r][o] * root);
                }
            }
            return new float[][]{w1, w2};
        }
        int o = (int) shape[0];
        int in = (int) shape[1];
        int kh = mode == Mode.SPATIAL ? (int) shape[2] : 1;
        int kw = mode == Mode.SPATIAL ? (int) shape[3] : 1;
        float[] w1 = new float[rank * in * kh];
        float[] w2 = new float[o * rank * kw];
        for (int r = 0; r < rank; r++) {
            double root = Math.sqrt(s[r]);
            for (int i = 0; i < in; i++) {
                for (int dy = 0; dy < kh; dy++) {
                    w1[(r * in + i) * kh + dy] = (float) (u[r][i * kh + dy] * root);
                }
            }
            for (int a = 0; a < o; a++) {
                for (int dx = 0; dx < kw; dx++) {
                    w2[(a * rank + r) * kw + dx] = (float) (v[r][a * kw + dx] * root);
                }
            }
        }
        return new float[][]{w1, w2};
    }
}
