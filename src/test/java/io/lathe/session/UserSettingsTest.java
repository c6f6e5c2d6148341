package io.lathe.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UserSettingsTest {
    @TempDir
    Path dir;

    @Test
    void valuesSurviveASaveAndLoad() throws Exception {
        UserSettings s = UserSettings.load(dir);
        s.putDouble("window.width", 1234.5);
        s.putBoolean("hint.dismissed", true);
        s.save();
        UserSettings again = UserSettings.load(dir);
        assertThat(again.getDouble("window.width", 0)).isEqualTo(1234.5);
        assertThat(again.getBoolean("hint.dismissed", false)).isTrue();
    }

    @Test
    void recentFilesAreNewestFirstWithoutDuplicatesAndCapped() throws Exception {
        UserSettings s = UserSettings.load(dir);
        for (int i = 0; i < 10; i++) {
            s.addRecent(Files.createFile(dir.resolve("m" + i + ".zip")));
        }
        s.addRecent(dir.resolve("m5.zip"));
        assertThat(s.recentFiles()).hasSize(UserSettings.MAX_RECENT);
        assertThat(s.recentFiles().get(0).getFileName()).hasToString("m5.zip");
        assertThat(s.recentFiles()).doesNotHaveDuplicates();
    }

    @Test
    void recentFilesThatVanishedAreNotOffered() throws Exception {
        UserSettings s = UserSettings.load(dir);
        Path gone = Files.createFile(dir.resolve("gone.zip"));
        s.addRecent(gone);
        Files.delete(gone);
        assertThat(s.recentFiles()).isEmpty();
    }

    @Test
    void lastPlanIsRemembered() throws Exception {
        UserSettings s = UserSettings.load(dir.resolve("sub"));
        s.saveLastPlan("{\"format\":\"lathe-plan\"}");
        assertThat(UserSettings.load(dir.resolve("sub")).lastPlan()).contains("{\"format\":\"lathe-plan\"}");
    }

    @Test
    void aCorruptSettingsFileIsSetAsideAndReported() throws Exception {
        Path file = dir.resolve("settings.properties");
        Files.write(file, new byte[]{'a', '=', (byte) 0xC3, (byte) 0x28, '\n'});
        UserSettings s = UserSettings.load(dir);
        assertThat(s.get("a")).isEmpty();
        assertThat(s.problems()).singleElement().asString().contains("The settings file").contains("set aside as");
        assertThat(Files.exists(file)).isFalse();
        try (var aside = Files.list(dir)) {
            assertThat(aside.map(p -> p.getFileName().toString())).singleElement().asString()
                    .startsWith("settings.properties.corrupt-");
        }
    }

    @Test
    void aBadEscapeInTheSettingsFileIsSetAsideToo() throws Exception {
        Files.writeString(dir.resolve("settings.properties"), "window.width=\\u12G4\n");
        UserSettings s = UserSettings.load(dir);
        assertThat(s.problems()).hasSize(1);
        s.putDouble("window.width", 10);
        s.save();
        assertThat(UserSettings.load(dir).getDouble("window.width", 0)).isEqualTo(10);
    }

    @Test
    void savingLeavesNoTemporaryFile() throws Exception {
        UserSettings s = UserSettings.load(dir);
        s.put("k", "v");
        s.save();
        s.saveLastPlan("{}");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("last-plan.json", "settings.properties");
        }
    }

    @Test
    void thePropertyOverridesTheConfigFolder() {
        String before = System.getProperty(UserSettings.FOLDER_PROPERTY);
        System.setProperty(UserSettings.FOLDER_PROPERTY, dir.toString());
        try {
            assertThat(UserSettings.defaultFolder()).isEqualTo(dir);
        } finally {
            if (before == null) {
                System.clearProperty(UserSettings.FOLDER_PROPERTY);
            } else {
                System.setProperty(UserSettings.FOLDER_PROPERTY, before);
            }
        }
    }
}
