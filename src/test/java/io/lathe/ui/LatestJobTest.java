package io.lathe.ui;

import io.lathe.job.EngineRunner;
import io.lathe.job.JobHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The view models' job helper on a real engine thread, with an FX thread the test drives by hand. */
class LatestJobTest {
    private final EngineRunner runner = EngineRunner.direct();
    /** What the job hands to the "FX thread"; the test runs it, so it plays the FX thread. */
    private final BlockingQueue<Runnable> fx = new LinkedBlockingQueue<>();
    private final List<String> reported = new ArrayList<>();
    private final LatestJob<String> job = new LatestJob<>(runner, fx::add, (action, t) -> reported.add(action + ": "
            + t.getMessage()));

    @AfterEach
    void close() {
        runner.close();
    }

    /** Runs what was handed to the FX thread until {@code done} holds (waiting for the engine as needed). */
    private void runFxUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            Runnable r = fx.poll(50, TimeUnit.MILLISECONDS);
            if (r != null) {
                r.run();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
        }
    }

    /** Starts a job that runs until it is cancelled, records which handler ran, and waits until it runs. */
    private void startUntilCancelled(List<String> seen) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        job.start("long", p -> {
            started.countDown();
            while (true) {
                p.checkCancelled();
                Thread.sleep(5);
            }
        }, r -> seen.add("done"), t -> seen.add("failed"), () -> seen.add("cancelled while running: " + job.isRunning()));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReplacedJobIsCancelledAndNothingItDeliversLaterIsHandled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> results = new ArrayList<>();
        List<String> partials = new ArrayList<>();
        Consumer<String> stalePartial = job.each(partials::add);
        job.start("stale", p -> {
            started.countDown();
            release.await();
            stalePartial.accept("stale partial");
            p.update(0.5, "stale progress");
            return "stale";
        }, results::add);
        JobHandle<String> stale = job.handle();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        job.start("fresh", p -> "fresh", results::add);
        release.countDown();
        runFxUntil(() -> !job.isRunning());
        runFxUntil(() -> stale.state() == JobHandle.State.CANCELLED && fx.isEmpty());

        assertThat(stale.isCancelled()).isTrue();
        assertThat(results).containsExactly("fresh");
        assertThat(partials).isEmpty();
        assertThat(job.messageProperty().get()).isEmpty();
        assertThat(job.stateProperty().get()).isEqualTo(LatestJob.State.DONE);
    }

    @Test
    void theOutcomeHandlerRunsWhileTheJobStillCountsAsRunning() throws Exception {
        List<Boolean> runningInHandler = new ArrayList<>();
        job.start("quick", p -> "done", r -> runningInHandler.add(job.isRunning()));
        runFxUntil(() -> !job.isRunning());
        assertThat(runningInHandler).containsExactly(true);
        assertThat(job.fractionProperty().get()).isEqualTo(1.0);
    }

    @Test
    void aCancelledJobTellsTheOwnerOnceItHasStopped() throws Exception {
        List<String> seen = new ArrayList<>();
        startUntilCancelled(seen);
        job.cancel();
        assertThat(job.isRunning()).isTrue();
        runFxUntil(() -> !job.isRunning());
        assertThat(seen).containsExactly("cancelled while running: true");
        assertThat(job.stateProperty().get()).isEqualTo(LatestJob.State.CANCELLED);
        assertThat(reported).isEmpty();
    }

    @Test
    void aFailureIsHandledThenReportedUnderTheJobsTitle() throws Exception {
        List<String> seen = new ArrayList<>();
        job.start("Measure something", p -> {
            throw new IllegalStateException("no data");
        }, r -> seen.add("done"), t -> seen.add("failed: " + t.getMessage()), () -> seen.add("cancelled"));
        runFxUntil(() -> !job.isRunning());
        assertThat(seen).containsExactly("failed: no data");
        assertThat(reported).containsExactly("Measure something: no data");
        assertThat(job.stateProperty().get()).isEqualTo(LatestJob.State.FAILED);
    }

    @Test
    void droppingStopsAtOnceAndHandlesNothingMore() throws Exception {
        List<String> seen = new ArrayList<>();
        startUntilCancelled(seen);
        JobHandle<String> h = job.handle();
        job.drop();
        assertThat(job.isRunning()).isFalse();
        assertThat(job.stateProperty().get()).isEqualTo(LatestJob.State.IDLE);
        h.result().handle((v, t) -> v).get(10, TimeUnit.SECONDS);
        runFxUntil(fx::isEmpty);
        assertThat(seen).isEmpty();
    }

    @Test
    void partialResultsThatArriveFasterThanTheFxThreadAreCoalescedToTheNewest() throws Exception {
        List<Integer> shown = new ArrayList<>();
        Consumer<Integer> partial = job.newest(shown::add);
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        job.start("burst", p -> {
            for (int i = 1; i <= 50; i++) {
                partial.accept(i);
                p.update(i / 50.0, "step " + i);
            }
            sent.countDown();
            finish.await();
            return "done";
        }, r -> { });
        assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
        Runnable r;
        while ((r = fx.poll()) != null) {
            r.run();
        }
        assertThat(shown).containsExactly(50);
        assertThat(job.fractionProperty().get()).isEqualTo(1.0);
        assertThat(job.messageProperty().get()).isEqualTo("step 50");
        finish.countDown();
        runFxUntil(() -> !job.isRunning());
    }

    @Test
    void onlyTheLastRequestOfABurstDuringThePauseRuns() throws Exception {
        ManualDelay delay = new ManualDelay();
        List<String> ran = new ArrayList<>();
        for (String request : List.of("a", "b", "c")) {
            job.startAfter(delay, Duration.ofMillis(100), request, p -> {
                ran.add(request);
                return request;
            }, r -> { }, t -> { }, () -> { });
        }
        assertThat(job.isRunning()).isTrue();
        delay.elapse();
        runFxUntil(() -> !job.isRunning());
        assertThat(ran).containsExactly("c");
    }

    @Test
    void aCancelDuringThePauseDropsTheRequest() throws Exception {
        ManualDelay delay = new ManualDelay();
        List<String> ran = new ArrayList<>();
        job.startAfter(delay, Duration.ofMillis(100), "later", p -> {
            ran.add("later");
            return "later";
        }, r -> { }, t -> { }, () -> { });
        job.cancel();
        assertThat(delay.pending()).isZero();
        assertThat(job.isRunning()).isFalse();
        assertThat(job.stateProperty().get()).isEqualTo(LatestJob.State.IDLE);
        assertThat(ran).isEmpty();
    }
}
