package io.lathe.job;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ExternalJobTest {
    @Test
    void aJobRunningElsewhereIsReportedLikeTheEnginesAndItsCancelReachesIt() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger cancels = new AtomicInteger();
        try (EngineRunner runner = new EngineRunner(Runnable::run, h -> seen.add(h.title() + " " + h.state()))) {
            ExternalJob<String> job = runner.external("Fine-tune (worker)", cancels::incrementAndGet);
            job.started();
            job.progress(0.25, "epoch 1");
            assertThat(job.handle().fraction()).isEqualTo(0.25);
            job.handle().cancel();
            job.handle().cancel();
            assertThat(cancels).hasValue(1);
            assertThat(job.handle().state()).as("running until the worker has stopped").isEqualTo(JobHandle.State.RUNNING);
            job.cancelled();
            assertThat(job.handle().state()).isEqualTo(JobHandle.State.CANCELLED);
            assertThat(job.handle().result()).isCompletedExceptionally();
            assertThat(seen).startsWith("Fine-tune (worker) RUNNING").endsWith("Fine-tune (worker) CANCELLED");
        }
    }
}
