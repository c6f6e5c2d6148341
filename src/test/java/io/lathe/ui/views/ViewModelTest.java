package io.lathe.ui.views;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** What every view-model test needs: a temporary folder and a workbench fixture closed after each test. */
abstract class ViewModelTest {
    @TempDir
    Path dir;
    /** The workbench under test; set by the test, closed after it. */
    ViewFixture f;

    @AfterEach
    void closeFixture() {
        if (f != null) {
            f.close();
        }
    }
}
