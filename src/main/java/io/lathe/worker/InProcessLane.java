package io.lathe.worker;

import io.lathe.job.EngineRunner;
import io.lathe.job.JobHandle;
import io.lathe.session.FineTuneRun;
import io.lathe.session.Workspace;
import io.lathe.train.FineTuneListener;

/**
 * Runs fine-tunes on the window's own engine thread, as before worker processes (tests, debugging, and
 * models or data that exist only in memory). A native crash here ends the window.
 */
public final class InProcessLane implements FineTuneLane {
    private final EngineRunner runner;

    public InProcessLane(EngineRunner runner) {
        this.runner = runner;
    }

    @Override
    public RunningFineTune start(String title, FineTuneRequest request, Workspace ws, FineTuneEvents events) {
        FineTuneRun run;
        try {
            run = request.newRun(ws, new FineTuneListener() {
                @Override
                public void stepDone(StepUpdate update) {
                    events.stepDone(update);
                }

                @Override
                public void epochDone(EpochRecord record) {
                    events.epochDone(record);
                }
            });
        } catch (Exception e) {
            events.failed(e);
            return new Finished();
        }
        JobHandle<FineTuneRun.Outcome> handle = runner.submit(title, run, events::succeeded, events::failed);
        handle.result().whenComplete((v, t) -> {
            if (t != null && handle.state() == JobHandle.State.CANCELLED) {
                events.cancelled();
            }
        });
        return new RunningFineTune() {
            @Override
            public void pause() {
                run.pause();
            }

            @Override
            public void resume() {
                run.resume();
            }

            @Override
            public void cancel() {
                handle.cancel();
                run.resume();
            }

            @Override
            public double etaSeconds() {
                return handle.etaSeconds();
            }

            @Override
            public String where() {
                return "the window's engine thread";
            }
        };
    }

    /** A run that never started. */
    static final class Finished implements RunningFineTune {
        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void cancel() {
        }

        @Override
        public double etaSeconds() {
            return Double.NaN;
        }

        @Override
        public String where() {
            return "nowhere (it did not start)";
        }
    }
}
