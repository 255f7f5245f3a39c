package dev.pulse.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency edges inside pulse-core (docs/architecture.md#modules-and-packages): config → model, plan → model,
 * sql → plan, only warehouse talks JDBC.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pulse");
    }

    @Test
    void modelDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.pulse.model..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.pulse.config..", "dev.pulse.plan..", "dev.pulse.sql..", "dev.pulse.warehouse..",
                        "dev.pulse.analysis..", "dev.pulse.output..", "dev.pulse.stats..", "org.yaml..", "com.fasterxml..")
                .check(classes);
    }

    @Test
    void sqlTextKnowsOnlyTheModel() {
        noClasses().that().resideInAPackage("dev.pulse.sqltext..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.pulse.config..", "dev.pulse.plan..", "dev.pulse.sql..", "dev.pulse.warehouse..",
                        "dev.pulse.analysis..", "dev.pulse.output..", "org.yaml..", "java.sql..")
                .check(classes);
    }

    @Test
    void configKnowsOnlyTheModel() {
        noClasses().that().resideInAPackage("dev.pulse.config..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.pulse.plan..", "dev.pulse.sql..", "dev.pulse.warehouse..", "dev.pulse.analysis..", "dev.pulse.output..")
                .check(classes);
    }

    @Test
    void planAndSqlRunNothing() {
        noClasses().that().resideInAnyPackage("dev.pulse.plan..", "dev.pulse.sql..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.pulse.config..", "dev.pulse.warehouse..", "dev.pulse.analysis..", "dev.pulse.output..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.pulse.plan..")
                .should().dependOnClassesThat().resideInAPackage("dev.pulse.sql..")
                .check(classes);
    }

    @Test
    void onlyTheWarehouseTalksJdbc() {
        noClasses().that().resideOutsideOfPackage("dev.pulse.warehouse..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.duckdb..")
                .check(classes);
    }

    @Test
    void outputsOnlyFormatResults() {
        noClasses().that().resideInAPackage("dev.pulse.output..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.pulse.config..", "dev.pulse.plan..", "dev.pulse.sql..", "dev.pulse.warehouse..")
                .check(classes);
    }
}
