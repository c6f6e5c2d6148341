package io.lathe.cli;

import io.lathe.worker.FineTuneWorker;
import io.lathe.worker.WorkerLimits;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code worker} (hidden): the child process the window starts for a long job. Reads one request line
 * on stdin and answers in JSON lines on stdout ({@link io.lathe.worker.WorkerProtocol}); everything
 * else this JVM prints goes to stderr, the worker's log.
 */
@Command(name = "worker", hidden = true, description = "Run one job for the window (JSON lines on stdin/stdout).")
final class WorkerCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        System.err.println("worker: pid " + ProcessHandle.current().pid() + ", " + WorkerLimits.describeRunning());
        return new FineTuneWorker(System.in, protocol).serve();
    }
}
