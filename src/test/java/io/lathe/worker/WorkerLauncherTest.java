package io.lathe.worker;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerLauncherTest {
    /** {@code java -jar target/lathe.jar} gives a relative class path; the worker runs with its own log folder. */
    @Test
    void relativeClassPathEntriesBecomeAbsolute() {
        String cp = "target/lathe.jar" + File.pathSeparator + "/opt/lib/x.jar";
        String[] out = WorkerLauncher.absoluteClassPath(cp).split(File.pathSeparator);
        assertThat(out).hasSize(2);
        assertThat(Path.of(out[0])).isAbsolute().isEqualTo(Path.of("target/lathe.jar").toAbsolutePath());
        assertThat(out[1]).isEqualTo("/opt/lib/x.jar");
    }
}
