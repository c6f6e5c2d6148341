package io.lathe.ui.finetune;

import io.lathe.train.AgpSchedule;
import io.lathe.train.Distillation;
import io.lathe.train.FineTuneSettings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Fine-tune tab's settings as the user types them (text fields and switches), and their
 * translation into {@link FineTuneSettings}: every field checked with a message that says what is
 * wrong and what to type instead. FX thread.
 */
public final class FineTuneForm {
    /** Which network is trained. */
    public enum Student {
        /** The current plan's compressed model, fine-tuned with its masks kept. */
        COMPRESSED("the compressed model itself"),
        /** A fresh ResNet-8 shaped for the model's input and classes, trained from the unchanged model. */
        RESNET8("a fresh ResNet-8 shape"),
        /** A DL4J zip the user picks, trained from the unchanged model. */
        FILE("a DL4J zip…");

        private final String label;

        Student(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final StringProperty epochs = new SimpleStringProperty(this, "epochs", "5");
    private final StringProperty learningRate = new SimpleStringProperty(this, "learningRate", "5e-4");
    private final BooleanProperty gradual = new SimpleBooleanProperty(this, "gradual", true);
    private final StringProperty startEpoch = new SimpleStringProperty(this, "startEpoch", "0");
    private final StringProperty endEpoch = new SimpleStringProperty(this, "endEpoch", "2.5");
    private final StringProperty frequency = new SimpleStringProperty(this, "frequency", "50");
    private final BooleanProperty qat = new SimpleBooleanProperty(this, "qat", true);
    private final BooleanProperty distill = new SimpleBooleanProperty(this, "distill", false);
    private final StringProperty alpha = new SimpleStringProperty(this, "alpha", "0.5");
    private final StringProperty temperature = new SimpleStringProperty(this, "temperature", "4");
    private final ObjectProperty<Student> student = new SimpleObjectProperty<>(this, "student", Student.COMPRESSED);
    private final StringProperty studentFile = new SimpleStringProperty(this, "studentFile", "");

    /**
     * The result of reading the form: settings and the student ("resnet8", a zip path, or null for the
     * compressed model itself), or the first problem found.
     */
    public record Parsed(FineTuneSettings settings, String studentSpec, String problem) {
        Parsed(FineTuneSettings settings, String problem) {
            this(settings, null, problem);
        }

        public boolean ok() {
            return problem == null;
        }
    }

    /** Reads the form for a run of {@code stepsPerEpoch} steps per epoch. */
    public Parsed parse(int stepsPerEpoch) {
        try {
            int e = integer(epochs.get(), "Epochs", 1, 1000);
            double lr = number(learningRate.get(), "Learning rate");
            if (!(lr > 0 && lr < 1)) {
                return new Parsed(null, "Learning rate must be between 0 and 1, e.g. 5e-4");
            }
            Student who = student.get() == null ? Student.COMPRESSED : student.get();
            String spec = switch (who) {
                case COMPRESSED -> null;
                case RESNET8 -> "resnet8";
                case FILE -> studentZip();
            };
            boolean other = spec != null;
            FineTuneSettings s = FineTuneSettings.defaults().withBudget(e, FineTuneSettings.defaults().batch(), lr, 0)
                    .withQat(qat.get() && !other);
            if (distill.get() || other) {
                double a = number(alpha.get(), "Distillation α");
                double t = number(temperature.get(), "Temperature T");
                if (!(a >= 0 && a <= 1)) {
                    return new Parsed(null, "Distillation α must be between 0 and 1 (0 = plain cross-entropy)");
                }
                if (!(t > 0 && t <= 100)) {
                    return new Parsed(null, "Temperature T must be above 0, e.g. 4");
                }
                s = s.withDistillation(new Distillation(a, t));
            }
            if (gradual.get() && !other) {
                double start = number(startEpoch.get(), "Schedule start");
                double end = number(endEpoch.get(), "Schedule end");
                long f = integer(frequency.get(), "Frequency", 1, 1_000_000);
                if (start < 0) {
                    return new Parsed(null, "Schedule start must be 0 or later (in epochs)");
                }
                if (end <= start) {
                    return new Parsed(null, "Schedule end must come after its start: e.g. start 0, end "
                            + fmt(e / 2.0) + " epochs");
                }
                if (end > e) {
                    return new Parsed(null, "Schedule end (" + fmt(end) + ") is after the last epoch (" + e
                            + "): end it earlier or train longer");
                }
                AgpSchedule sched = AgpSchedule.ofEpochs(start, end, f, Math.max(1, stepsPerEpoch));
                s = s.withSchedule(sched);
            }
            return new Parsed(s, spec, null);
        } catch (IllegalArgumentException ex) {
            return new Parsed(null, ex.getMessage());
        }
    }

    private String studentZip() {
        String text = studentFile.get() == null ? "" : studentFile.get().trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("Choose the student's DL4J zip (Choose…), or pick a fresh ResNet-8");
        }
        Path p = Path.of(text);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("Student file " + p + " does not exist: choose a DL4J zip");
        }
        return p.toString();
    }

    private static int integer(String text, String what, int min, int max) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v < min || v > max) {
                throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a whole number");
        }
    }

    private static double number(String text, String what) {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a number");
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** Every field, for listeners that re-read the form when anything changes. */
    public javafx.beans.Observable[] fields() {
        return new javafx.beans.Observable[]{epochs, learningRate, gradual, startEpoch, endEpoch, frequency, qat, distill,
                alpha, temperature, student, studentFile};
    }

    public StringProperty epochsProperty() {
        return epochs;
    }

    public StringProperty learningRateProperty() {
        return learningRate;
    }

    /** Gradual (AGP) pruning on; off prunes to the plan's targets at step 0. */
    public BooleanProperty gradualProperty() {
        return gradual;
    }

    /** Schedule start, in epochs (decimal). */
    public StringProperty startEpochProperty() {
        return startEpoch;
    }

    /** Schedule end, in epochs (decimal): the plan's targets are reached here. */
    public StringProperty endEpochProperty() {
        return endEpoch;
    }

    /** Steps between two mask updates. */
    public StringProperty frequencyProperty() {
        return frequency;
    }

    public BooleanProperty qatProperty() {
        return qat;
    }

    public BooleanProperty distillProperty() {
        return distill;
    }

    public StringProperty alphaProperty() {
        return alpha;
    }

    public StringProperty temperatureProperty() {
        return temperature;
    }

    /**
     * The network trained: the compressed model itself, or a different one learning from the unchanged
     * model (then distillation is always on, and the plan, schedule and QAT do not apply).
     */
    public ObjectProperty<Student> studentProperty() {
        return student;
    }

    /** Path of the student zip when the student is {@link Student#FILE}. */
    public StringProperty studentFileProperty() {
        return studentFile;
    }
}
