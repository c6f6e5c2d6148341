package io.lathe.train;

import io.lathe.engine.Engine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DistillationLossTest {
    private static INDArray logits;
    private static INDArray oneHot;
    private static INDArray teacher;

    @BeforeAll
    static void data() {
        Engine.configure();
        Nd4j.getRandom().setSeed(7);
        logits = Nd4j.randn(DataType.DOUBLE, 6, 5).muli(2);
        teacher = Nd4j.randn(DataType.DOUBLE, 6, 5).muli(3);
        oneHot = Nd4j.zeros(DataType.DOUBLE, 6, 5);
        for (int i = 0; i < 6; i++) {
            oneHot.putScalar(i, (i * 3) % 5, 1.0);
        }
    }

    @Test
    void equalsCrossEntropyWhenAlphaIsZero() {
        DistillationLoss kd = new DistillationLoss(new Distillation(0, 4));
        LossMCXENT ce = new LossMCXENT();
        INDArray labels = DistillationLoss.labels(oneHot, teacher);
        double expected = ce.computeScore(oneHot, logits.dup(), new ActivationSoftmax(), null, true);
        assertThat(kd.computeScore(labels, logits.dup(), new ActivationSoftmax(), null, true))
                .isCloseTo(expected, within(1e-9));
        INDArray gExpected = ce.computeGradient(oneHot, logits.dup(), new ActivationSoftmax(), null);
        INDArray g = kd.computeGradient(labels, logits.dup(), new ActivationSoftmax(), null);
        assertThat(g.sub(gExpected).amaxNumber().doubleValue()).isLessThan(1e-9);
    }

    @Test
    void distillationTermIsKlDivergenceTimesTemperatureSquared() {
        double t = 3;
        DistillationLoss kd = new DistillationLoss(new Distillation(1, t));
        double expected = 0;
        for (int i = 0; i < 6; i++) {
            double[] q = softmax(teacher.getRow(i).toDoubleVector(), t);
            double[] p = softmax(logits.getRow(i).toDoubleVector(), t);
            for (int c = 0; c < 5; c++) {
                expected += q[c] * Math.log(q[c] / p[c]);
            }
        }
        expected = expected * t * t / 6;
        assertThat(kd.computeScore(DistillationLoss.labels(oneHot, teacher), logits.dup(), new ActivationSoftmax(),
                null, true)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        DistillationLoss kd = new DistillationLoss(new Distillation(0.7, 2.5));
        INDArray labels = DistillationLoss.labels(oneHot, teacher);
        INDArray g = kd.computeGradient(labels, logits.dup(), new ActivationSoftmax(), null);
        double eps = 1e-6;
        for (int i = 0; i < 6; i++) {
            for (int c = 0; c < 5; c++) {
                INDArray plus = logits.dup();
                plus.putScalar(i, c, plus.getDouble(i, c) + eps);
                INDArray minus = logits.dup();
                minus.putScalar(i, c, minus.getDouble(i, c) - eps);
                double numeric = (kd.computeScore(labels, plus, new ActivationSoftmax(), null, false)
                        - kd.computeScore(labels, minus, new ActivationSoftmax(), null, false)) / (2 * eps);
                assertThat(g.getDouble(i, c)).isCloseTo(numeric, within(1e-6));
            }
        }
    }

    private static double[] softmax(double[] z, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / t);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] / t - max);
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            e[i] /= sum;
        }
        return e;
    }
}
