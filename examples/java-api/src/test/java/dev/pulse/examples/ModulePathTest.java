package dev.pulse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.api.Config;
import dev.pulse.api.Pulse;
import dev.pulse.error.PulseException;
import java.lang.reflect.InaccessibleObjectException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * This example runs on the module path, where Pulse is the module {@code dev.pulse.core} (docs/java-api.md#modules):
 * it exports the API packages only, and what a module must declare for Pulse to work there (the report's templates,
 * the warehouse providers) is declared.
 */
class ModulePathTest {

    @Test
    void theExampleAndPulseAreNamedModules() {
        assertEquals("dev.pulse.examples", Main.class.getModule().getName(), "the example runs as a module");
        Module pulse = Pulse.class.getModule();
        assertEquals("dev.pulse.core", pulse.getName(), "Pulse is on the module path");
        assertFalse(pulse.getDescriptor().isAutomatic(), "with its own module-info");
        assertEquals(Set.of("dev.pulse.api", "dev.pulse.error"), pulse.getDescriptor().exports().stream()
                .map(java.lang.module.ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    }

    @Test
    void theInternalsAreClosedToReflectionToo() throws ReflectiveOperationException {
        // the class is there (Pulse runs it), but a program may not reach into it, even by reflection
        Class<?> loader = Class.forName("dev.pulse.config.ConfigLoader", false, Pulse.class.getClassLoader());
        assertFalse(Pulse.class.getModule().isExported(loader.getPackageName(), Main.class.getModule()));
        // ConfigLoader.load(Path) is public and static: calling it is refused before any file is read
        assertThrows(IllegalAccessException.class,
                () -> loader.getMethod("load", Path.class).invoke(null, Path.of("pulse.yaml")));
        assertThrows(InaccessibleObjectException.class, () -> loader.getDeclaredConstructors()[0].setAccessible(true));
    }

    @Test
    void anEngineFromAnotherArtifactIsLookedForAndNamed() {
        // the module declares `uses` for the warehouse providers: without it ServiceLoader would throw an error here
        Config config = Pulse.config("""
                warehouse: {engine: bigquery, project: example-project}
                sources:
                  exposures: {table: analytics.exposures, timestamp: exposed_at, ids: {user_id: user_id},
                              experiment: experiment, group: variant}
                  purchases: {table: analytics.purchases, timestamp: ts, ids: {user_id: user_id}}
                metrics:
                  revenue: {type: sum, source: purchases, value: revenue}
                experiments:
                  checkout_v2:
                    assignment: exposures
                    unit: user_id
                    control: control
                    groups: {control: 0.5, treatment: 0.5}
                    start: 2026-03-01
                    metrics: [revenue]
                """, Path.of("pulse.yaml"));
        PulseException e = assertThrows(PulseException.class, () -> Pulse.analysis(config).run());
        assertEquals(PulseException.Category.WAREHOUSE_FAILED, e.category());
        assertTrue(e.getMessage().contains("pulse-bigquery"), e.getMessage());
    }
}
