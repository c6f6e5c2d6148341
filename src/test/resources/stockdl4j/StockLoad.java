import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a DL4J model zip with stock DL4J only (run as a single-file program in a JVM whose class path
 * holds the DL4J jars and not Lathe's classes) and prints its output on a fixed input.
 */
public class StockLoad {
    public static void main(String[] args) throws Exception {
        try {
            Class.forName("io.lathe.Main");
            System.out.println("LATHE_CLASSES_VISIBLE");
        } catch (ClassNotFoundException e) {
            System.out.println("LATHE_CLASSES_ABSENT");
        }
        ComputationGraph g = ModelSerializer.restoreComputationGraph(new java.io.File(args[0]), false);
        int n = Integer.parseInt(args[1]);
        int c = Integer.parseInt(args[2]);
        int h = Integer.parseInt(args[3]);
        int w = Integer.parseInt(args[4]);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 13) / 13f;
        }
        float[] y = g.outputSingle(false, Nd4j.create(x, new long[]{n, c, h, w}, 'c')).dup('c').data().asFloat();
        StringBuilder sb = new StringBuilder("OUTPUT");
        for (float v : y) {
            sb.append(' ').append(v);
        }
        System.out.println(sb);
    }
}
