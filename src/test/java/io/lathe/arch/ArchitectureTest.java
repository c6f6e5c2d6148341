package io.lathe.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The engine knows nothing of the screen; the views know nothing of DL4J. */
@AnalyzeClasses(packages = "io.lathe", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule engineHasNoToolkit = noClasses().that().resideOutsideOfPackage("io.lathe.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree..")
            .because("only io.lathe.ui may use JavaFX, ControlsFX or JFreeChart");

    @ArchTest
    static final ArchRule viewsDoNotTouchDl4j = noClasses().that().resideInAPackage("io.lathe.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
            .because("views talk to engine services, never to DL4J/ND4J directly").allowEmptyShould(true);

    @ArchTest
    static final ArchRule engineDoesNotDependOnUi = noClasses().that().resideOutsideOfPackage("io.lathe.ui..")
            .and().doNotHaveFullyQualifiedName("io.lathe.Main")
            .should().dependOnClassesThat().resideInAPackage("io.lathe.ui..")
            .because("dependencies point from the UI to the engine, never back");
}
