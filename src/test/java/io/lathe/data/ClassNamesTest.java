package io.lathe.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassNamesTest {
    private static LabeledImages images(String[] names, int... labels) {
        return new LabeledImages("s", new float[labels.length], labels, 1, 1, 1, names.length, names);
    }

    private static DataSplits splits(String[] names) {
        return new DataSplits("folder", images(names, 0, 1), images(names, 1), images(names, 0));
    }

    @Test
    void dataClassesAreRenumberedToTheModelsOrder() {
        DataSplits d = ClassNames.matchTo(splits(new String[]{"cat", "dog"}), new String[]{"dog", "bird", "cat"});
        assertThat(d.train().classNames()).containsExactly("dog", "bird", "cat");
        assertThat(d.train().labels()).containsExactly(2, 0);
        assertThat(d.validation().labels()).containsExactly(0);
        assertThat(d.classes()).isEqualTo(3);
    }

    @Test
    void aClassTheModelDoesNotKnowIsRefusedByName() {
        assertThatThrownBy(() -> ClassNames.matchTo(splits(new String[]{"cat", "zebra"}), new String[]{"cat", "dog"}))
                .hasMessageContaining("'zebra'").hasMessageContaining("cat, dog");
    }

    @Test
    void classCountMismatchNamesBothSidesInOneLine() {
        assertThatThrownBy(() -> ClassCount.check(10, splits(new String[]{"a", "b"})))
                .hasMessageStartingWith("the model has 10 outputs but folder has 2 classes (a, b); ")
                .hasMessageNotContaining("\n");
    }
}
