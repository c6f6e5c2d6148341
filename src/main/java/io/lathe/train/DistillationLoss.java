package io.lathe.train;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The knowledge-distillation loss for a softmax output layer:
 * {@code α·KL(softmax(t/T) ‖ softmax(z/T))·T² + (1 − α)·CE(y, softmax(z))}, with z the student's
 * logits and t the teacher's. DL4J hands a loss one label array, so the labels are the one-hot
 * targets and the teacher logits side by side: {@code [y | t]}, width 2·classes ({@link #labels}).
 * The gradient with respect to z is {@code (1 − α)(softmax(z)·Σy − y) + α·T·(softmax(z/T) − softmax(t/T))}.
 * Immutable.
 */
public final class DistillationLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;
    private final double alpha;
    private final double temperature;

    public DistillationLoss(Distillation d) {
        this.alpha = d.alpha();
        this.temperature = d.temperature();
    }

    /** The label array this loss expects: one-hot targets then teacher logits, per row. */
    public static INDArray labels(INDArray oneHot, INDArray teacherLogits) {
        return org.nd4j.linalg.factory.Nd4j.hstack(oneHot, teacherLogits.castTo(oneHot.dataType()));
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput, activationFn);
        long c = preOutput.size(1);
        INDArray y = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, c));
        INDArray t = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(c, 2 * c));
        INDArray ce = y.mul(logSoftmax(preOutput, 1)).sum(1).negi();
        INDArray logQ = logSoftmax(t, temperature);
        INDArray logP = logSoftmax(preOutput, temperature);
        INDArray kl = Transforms.exp(logQ, true).muli(logQ.sub(logP)).sum(1);
        INDArray score = ce.muli(1 - alpha).addi(kl.muli(alpha * temperature * temperature));
        if (mask != null) {
            score.muli(mask.reshape(score.shape()));
        }
        return score.reshape(score.length(), 1);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        check(labels, preOutput, activationFn);
        long c = preOutput.size(1);
        INDArray y = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, c));
        INDArray t = labels.get(NDArrayIndex.all(), NDArrayIndex.interval(c, 2 * c));
        INDArray p = Transforms.exp(logSoftmax(preOutput, 1), false);
        INDArray grad = p.mulColumnVector(y.sum(1).reshape(y.size(0), 1)).subi(y).muli(1 - alpha);
        if (alpha > 0) {
            INDArray pT = Transforms.exp(logSoftmax(preOutput, temperature), false);
            INDArray qT = Transforms.exp(logSoftmax(t, temperature), false);
            grad.addi(pT.subi(qT).muli(alpha * temperature));
        }
        if (mask != null) {
            grad.muliColumnVector(mask.reshape(mask.length(), 1).castTo(grad.dataType()));
        }
        return grad;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "DistillationLoss(alpha=" + alpha + ", T=" + temperature + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    /** Row-wise log softmax of {@code z / temperature}, computed stably. */
    static INDArray logSoftmax(INDArray z, double temperature) {
        INDArray s = z.div(temperature);
        INDArray max = s.max(1).reshape(s.size(0), 1);
        s.subiColumnVector(max);
        INDArray lse = Transforms.log(Transforms.exp(s, true).sum(1), false).reshape(s.size(0), 1);
        return s.subiColumnVector(lse);
    }

    private static void check(INDArray labels, INDArray preOutput, IActivation activationFn) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            throw new IllegalStateException("distillation needs a softmax output layer, found " + activationFn);
        }
        if (labels.size(1) != 2 * preOutput.size(1)) {
            throw new IllegalStateException("distillation labels must be [one-hot | teacher logits], width "
                    + 2 * preOutput.size(1) + ", got " + labels.size(1));
        }
    }
}
