package io.lathe.session;

import io.lathe.compress.ModelStats;
import io.lathe.compress.Plan;
import io.lathe.job.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan figures several views ask for after each edit are computed once per plan, for the last few plans. */
class RecentStatsTest {
    private static Workspace ws;

    @BeforeAll
    static void open() throws Exception {
        ws = Workspace.of(TinyModels.model(), TinyModels.data(), Progress.none());
    }

    private static Plan plan(double sparsity) {
        Plan p = ws.emptyPlan();
        return p.withDefaults(p.defaultPrune().withSparsity(sparsity), p.defaultQuant());
    }

    @Test
    void theSamePlanAskedForAgainIsNotComputedAgainAndTheOldestIsForgotten() {
        RecentStats recent = new RecentStats(2);
        List<Plan> computed = new ArrayList<>();
        java.util.function.Function<Plan, ModelStats> compute = p -> {
            computed.add(p);
            return ws.stats(p);
        };
        ModelStats first = recent.get(plan(0.5), compute);
        assertThat(recent.get(plan(0.5), compute)).isSameAs(first);
        recent.get(plan(0.6), compute);
        recent.get(plan(0.7), compute);
        recent.get(plan(0.5), compute);
        assertThat(computed).containsExactly(plan(0.5), plan(0.6), plan(0.7), plan(0.5));
        assertThat(first.sparsity()).isEqualTo(ws.stats(plan(0.5)).sparsity());
    }
}
