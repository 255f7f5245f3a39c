package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heterogeneous effects against an independent reference: {@code src/test/python/reference_heterogeneity.py}
 * simulated the rows of {@code src/test/resources/heterogeneity/} (the treatment lifts revenue 10 % everywhere but
 * in JP, 60 %), computed every value's effect and the rest's from the per-unit values with numpy, their difference's
 * Welch test with scipy and Holm's correction across each dimension's values, and wrote {@code expected.json}. Pulse
 * over the same rows must agree: estimates to 1e-9, everything else to 1e-6.
 */
class HeterogeneityReferenceTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    @TempDir
    Path temp;
    private Warehouse warehouse;

    /**
     * The data set's files, copied from the test classpath to {@code temp}: read where the tests run from another
     * module (the Spark engine-equivalence tests) or from a jar.
     */
    private Path data() throws java.io.IOException {
        Path folder = temp.resolve("heterogeneity");
        Files.createDirectories(folder);
        for (String file : new String[] {"exposures.csv.gz", "events.csv.gz", "expected.json"}) {
            try (java.io.InputStream in = HeterogeneityReferenceTest.class.getResourceAsStream("/heterogeneity/" + file)) {
                Files.copy(java.util.Objects.requireNonNull(in, file), folder.resolve(file),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return folder;
    }

    @BeforeEach
    void createData() throws java.io.IOException {
        Path data = data();
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("CREATE TABLE exposures AS SELECT * FROM read_csv('"
                + data.resolve("exposures.csv.gz").toAbsolutePath() + "', header = true, columns = {'user_id': 'BIGINT',"
                + " 'experiment': 'VARCHAR', 'grp': 'VARCHAR', 'country': 'VARCHAR', 'platform': 'VARCHAR',"
                + " 'ts': 'TIMESTAMP'})");
        warehouse.execute("CREATE TABLE events AS SELECT * FROM read_csv('"
                + data.resolve("events.csv.gz").toAbsolutePath() + "', header = true, columns = {'user_id': 'BIGINT',"
                + " 'ts': 'TIMESTAMP', 'revenue': 'DOUBLE'})");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    PulseConfig config() throws Exception {
        Path file = temp.resolve("pulse.yaml");
        Files.writeString(file, """
                sources:
                  exposures:
                    table: exposures
                    timestamp: ts
                    ids: {user_id: user_id}
                    experiment: experiment
                    group: grp
                  events:
                    table: events
                    timestamp: ts
                    ids: {user_id: user_id}
                metrics:
                  revenue: {type: sum, source: events, value: revenue}
                  revenue_per_event:
                    type: ratio
                    numerator: {source: events, agg: sum, value: revenue}
                    denominator: {source: events, agg: count}
                experiments:
                  exp:
                    assignment: exposures
                    unit: user_id
                    control: control
                    groups: {control: 0.5, treatment: 0.5}
                    start: 2026-03-01
                    end: 2026-03-14
                    metrics: [revenue, revenue_per_event]
                    dimensions: [country, platform]
                    dimension_values: 3
                    heterogeneity_correction: holm
                """);
        return ConfigLoader.load(file);
    }

    @Test
    void everyValuesEffectAgainstTheRestMatchesTheReference() throws Exception {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        JsonNode expected = new ObjectMapper().readTree(Files.readString(data().resolve("expected.json"))).get("tests");
        int flagged = 0;
        for (JsonNode test : expected) {
            String where = test.get("dimension").asText() + "=" + test.get("value").asText() + " "
                    + test.get("metric").asText();
            ExperimentResult.DimensionResult value = result.dimensions().stream()
                    .filter(d -> d.dimension().equals(test.get("dimension").asText())
                            && d.value().equals(test.get("value").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("no value " + where));
            ExperimentResult.Heterogeneity actual = value.heterogeneity(test.get("metric").asText(), "treatment")
                    .orElseThrow(() -> new AssertionError("no test " + where));
            MetricResult metric = value.metrics().stream()
                    .filter(m -> m.metric().equals(test.get("metric").asText())).findFirst().orElseThrow();
            close(test.get("value_effect"), metric.comparisons().get(0).decision().absolute().estimate(), 1e-9, where);
            close(test.get("rest_effect"), actual.rest().absolute().estimate(), 1e-9, where);
            assertEquals(test.get("rest_units").asLong(), actual.rest().controlUnits() + actual.rest().treatmentUnits(), where);
            close(test.get("difference"), actual.test().difference().estimate(), 1e-9, where);
            close(test.get("std_error"), actual.test().difference().stdError(), 1e-6, where);
            close(test.get("ci_lower"), actual.test().difference().lower(), 1e-6, where);
            close(test.get("ci_upper"), actual.test().difference().upper(), 1e-6, where);
            close(test.get("degrees_of_freedom"), actual.test().degreesOfFreedom(), 1e-6, where);
            close(test.get("p_value"), actual.test().pValue(), 1e-6, where);
            close(test.get("adjusted_p_value"), actual.adjustedPValue(), 1e-6, where);
            assertEquals(test.get("family_size").asInt(), actual.familySize(), where);
            assertEquals(test.get("flagged").asBoolean(), actual.flagged(), where);
            flagged += actual.flagged() ? 1 : 0;
        }
        assertEquals(expected.size(), result.dimensions().stream().mapToInt(d -> d.heterogeneity().size()).sum(),
                "a test per value, metric and treatment, no more");
        assertTrue(flagged > 0 && flagged < expected.size(), "the data set has flagged and unflagged values");
    }

    @Test
    void flaggedEffectsReachEveryOutput() throws Exception {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        assertTrue(result.warnings().stream().anyMatch(w -> w.startsWith(
                "heterogeneous effect (exploratory): revenue / treatment differs where country = JP")), result.warnings().toString());
        assertTrue(result.warnings().stream().noneMatch(w -> w.contains("platform =")), result.warnings().toString());

        JsonNode json = new ObjectMapper().readTree(JsonOutput.experiments(List.of(result)));
        JsonNode jp = null;
        for (JsonNode d : json.get("experiments").get(0).get("dimensions")) {
            if (d.get("dimension").asText().equals("country") && d.get("value").asText().equals("JP")) {
                jp = d.get("metrics").get(0).get("comparisons").get(0).get("heterogeneity");
            }
        }
        assertTrue(jp != null && jp.get("flagged").asBoolean() && jp.get("correction").asText().equals("holm")
                && jp.get("family_size").asInt() == 4 && jp.get("rest").get("absolute").has("std_error"), String.valueOf(jp));

        String table = ConsoleTable.experiments(List.of(result));
        assertTrue(table.contains("!! effect differs from the rest's by"), table);
        String csv = CsvOutput.experiments(List.of(result));
        List<String> header = List.of(csv.lines().findFirst().orElseThrow().split(","));
        int flaggedColumn = header.indexOf("heterogeneity_flagged");
        int valueColumn = header.indexOf("dimension_value");
        assertTrue(csv.lines().map(line -> line.split(",", -1)).anyMatch(cells -> cells[valueColumn].equals("JP")
                && cells[flaggedColumn].equals("true")), csv);
        assertTrue(csv.lines().map(line -> line.split(",", -1)).filter(cells -> cells.length > valueColumn
                && List.of("ios", "android", "web").contains(cells[valueColumn]))
                .allMatch(cells -> cells[flaggedColumn].equals("false")), csv);
    }

    private static void close(JsonNode expected, Double actual, double relative, String where) {
        assertTrue(actual != null, where + ": null");
        double e = expected.asDouble();
        assertTrue(Math.abs(e - actual) <= relative * Math.max(1.0, Math.abs(e)), where + ": " + e + " vs " + actual);
    }
}
