package io.lathe.cli;

import io.lathe.files.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench soak}: drives the real window headless through a scripted random session and prints
 * crashes, unexpected exceptions, FX-thread stalls, memory and jobs. The window lives in
 * {@code io.lathe.ui.soak}, reached by reflection as {@code Main} reaches the workbench, so that the CLI
 * does not depend on the UI.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Drive the real window headless (Monocle) through a scripted random session with a fixed "
                + "seed: slider drags, bits, granularity, undo/redo, apply to block/stage/all, tree selection, "
                + "opening models and data, a short sensitivity sweep, export, cancelling jobs. Prints crashes, "
                + "unexpected exceptions, the longest FX-thread stall and stalls over 100 ms, heap and RSS at "
                + "start/after warm-up/end, jobs run/cancelled/failed and actions per kind. Exit code 1 on a "
                + "crash or an unexpected exception.")
final class BenchSoakCommand implements Callable<Integer> {
    private static final String SOAK = "io.lathe.ui.soak.SoakBench";

    @Mixin
    CommonOptions common;

    @Option(names = "--minutes", defaultValue = "5", description = "How long to drive the window, in minutes "
            + "(fractions allowed; default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random session (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0)) {
            throw new IllegalArgumentException("--minutes must be more than 0");
        }
        Map<?, ?> out = runSoak();
        if (common.json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.printf("%-26s %s%n", k, v instanceof List<?> l && l.isEmpty() ? "none" : v));
        }
        return Boolean.TRUE.equals(out.get("passed")) ? 0 : 1;
    }

    private Map<?, ?> runSoak() throws Exception {
        try {
            Object out = Class.forName(SOAK).getMethod("run", double.class, long.class, java.io.PrintStream.class)
                    .invoke(null, minutes, seed, System.err);
            return (Map<?, ?>) out;
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IllegalStateException("the soak benchmark is not in this build (" + SOAK + ")", e);
        }
    }
}
