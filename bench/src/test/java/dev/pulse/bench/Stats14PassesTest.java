package dev.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's methods add no scan of a metric source: on a small generated data set, the statements that the real
 * {@code pulse sql} prints for each config of {@link PulseConfig.Stats14} scan {@code events.parquet} as often as the
 * plain config's, and the exposures as often, except {@code interactions}, which reads the other experiment's
 * assignment rows once more (docs/interactions.md). Needs {@code pulse-cli/target/pulse.jar} (built by
 * {@code ./pulse --version}; the bench module does not depend on the CLI's code, see pom.xml): skipped without it.
 */
class Stats14PassesTest {
    private static final Path PULSE_JAR = Path.of("..", "pulse-cli", "target", "pulse.jar").toAbsolutePath().normalize();

    @Test
    void noMethodAddsAScanOfTheEventsAndInteractionsAddOneOfTheAssignmentSource(@TempDir Path data) throws Exception {
        assumeTrue(Files.isRegularFile(PULSE_JAR), "no " + PULSE_JAR + " (./pulse --version builds it)");
        GenerateData.generate(20_000, 2_000, data);
        Map<String, String> sql = new HashMap<>();
        sql.put("pulse.yaml", sql(data, "pulse.yaml"));
        for (PulseConfig.Stats14 config : PulseConfig.Stats14.values()) {
            sql.put(config.fileName(), sql(data, config.fileName()));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            Passes.Sources sources = Passes.Sources.of(connection, data);
            assertEquals(List.of(new Passes.Scans("main statement", 1, 1)), Passes.count(connection, sources, sql.get("pulse.yaml")));
            for (PulseConfig.Stats14 config : PulseConfig.Stats14.values()) {
                boolean interactions = config == PulseConfig.Stats14.INTERACTIONS || config == PulseConfig.Stats14.ALL;
                assertEquals(List.of(new Passes.Scans("main statement", 1, interactions ? 2 : 1)),
                        Passes.count(connection, sources, sql.get(config.fileName())), config.fileName());
            }
        }
        // what is computed in Java only leaves the statement as it was, character for character
        String concurrent = sql.get(PulseConfig.Stats14.CONCURRENT.fileName());
        assertEquals(concurrent, sql.get(PulseConfig.Stats14.PLANNED_LOOKS.fileName()));
        assertEquals(concurrent, sql.get(PulseConfig.Stats14.GROWTHBOOK.fileName()));
        assertEquals(sql.get(PulseConfig.Stats14.DIMENSIONS.fileName()), sql.get(PulseConfig.Stats14.POST_STRATIFY.fileName()));
    }

    /** {@code pulse sql} for the bench experiment, with the {@code ./pulse} launcher's JVM flags (a shorter start). */
    private static String sql(Path data, String config) throws Exception {
        return Passes.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", PULSE_JAR.toString(),
                "sql", "--config", data.resolve(config).toString(), "--experiment", "bench"));
    }
}
