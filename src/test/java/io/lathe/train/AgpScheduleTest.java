package io.lathe.train;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AgpScheduleTest {
    private final AgpSchedule schedule = new AgpSchedule(100, 300, 10);

    private static double formula(double si, double sf, double t, double t0, double nDt) {
        return sf + (si - sf) * Math.pow(1 - (t - t0) / nDt, 3);
    }

    @Test
    void startsAtTheInitialSparsity() {
        assertThat(schedule.sparsity(100, 0.1, 0.8)).isCloseTo(formula(0.1, 0.8, 100, 100, 200), within(1e-12));
        assertThat(schedule.sparsity(100, 0.1, 0.8)).isCloseTo(0.1, within(1e-12));
        assertThat(schedule.sparsity(0, 0.1, 0.8)).isEqualTo(0.1);
    }

    @Test
    void endsAtTheTargetSparsity() {
        assertThat(schedule.sparsity(300, 0.1, 0.8)).isCloseTo(formula(0.1, 0.8, 300, 100, 200), within(1e-12));
        assertThat(schedule.sparsity(5000, 0.1, 0.8)).isEqualTo(0.8);
    }

    @Test
    void matchesTheFormulaAtTheMidpoint() {
        assertThat(schedule.sparsity(200, 0.0, 0.8)).isCloseTo(formula(0.0, 0.8, 200, 100, 200), within(1e-12));
        assertThat(schedule.sparsity(200, 0.0, 0.8)).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void holdsTheSparsityBetweenPruningSteps() {
        assertThat(schedule.sparsity(209, 0, 0.8)).isEqualTo(schedule.sparsity(200, 0, 0.8));
        assertThat(schedule.isPruningStep(200)).isTrue();
        assertThat(schedule.isPruningStep(205)).isFalse();
        assertThat(schedule.isPruningStep(300)).isTrue();
        assertThat(schedule.isPruningStep(310)).isFalse();
    }

    @Test
    void curveRisesMonotonicallyToTheTarget() {
        var curve = schedule.curve(0, 0.9, 400);
        assertThat(curve.get(0)).isEqualTo(new AgpSchedule.Point(0, 0.0));
        assertThat(curve.get(curve.size() - 1)).isEqualTo(new AgpSchedule.Point(400, 0.9));
        for (int i = 1; i < curve.size(); i++) {
            assertThat(curve.get(i).sparsity()).isGreaterThanOrEqualTo(curve.get(i - 1).sparsity());
            assertThat(curve.get(i).step()).isGreaterThan(curve.get(i - 1).step());
        }
    }

    @Test
    void refusesAScheduleThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> new AgpSchedule(50, 50, 1)).hasMessageContaining("end after it starts");
    }
}
