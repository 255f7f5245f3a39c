package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code warehouse: {results_table, staging_schema}}: read when given, absent by default, checked. */
class WarehouseTablesConfigTest {
    private static final String REST = """
            sources:
              exposures: {table: exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
            metrics:
              clicks: {type: count, source: exposures}
            experiments:
              button-color: {assignment: exposures, unit: user_id, control: blue, start: 2026-01-01, metrics: [clicks]}
            """;

    @TempDir
    Path folder;

    private Path write(String warehouse) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, warehouse + REST);
        return file;
    }

    @Test
    void tablesAreReadWhenGiven() throws IOException {
        PulseConfig config = ConfigLoader.load(write("""
                warehouse:
                  database: analytics.duckdb
                  results_table: reporting.pulse_results
                  staging_schema: audit
                """));
        assertEquals(Optional.of(new TableName(List.of("reporting", "pulse_results"))), config.warehouse().resultsTable());
        assertEquals(Optional.of("audit"), config.warehouse().stagingSchema());
        assertEquals(new TableName(List.of("audit", "pulse_staging_button-color")),
                config.warehouse().stagingTable(new ExperimentName("button-color")));
    }

    @Test
    void noTablesByDefault() throws IOException {
        PulseConfig config = ConfigLoader.load(write("warehouse: {database: analytics.duckdb}\n"));
        assertEquals(Optional.empty(), config.warehouse().resultsTable());
        assertEquals(Optional.empty(), config.warehouse().stagingSchema());
        assertEquals(new TableName(List.of("pulse_staging_button-color")),
                config.warehouse().stagingTable(new ExperimentName("button-color")));
    }

    @Test
    void badNamesAreReportedWithTheirPositions() throws IOException {
        Path file = write("""
                warehouse:
                  results_table: reporting..results
                  staging_schema: a.b
                  result_table: x
                """);
        assertEquals(List.of(
                        "2:18 warehouse.results_table: expected a table name such as pulse_results or"
                                + " analytics.pulse_results, got 'reporting..results'",
                        "3:19 warehouse.staging_schema: expected one schema name such as pulse, got 'a.b'",
                        "4:3 warehouse.result_table: unknown key 'result_table' (did you mean 'results_table'?)"),
                ConfigLoader.problems(file).stream()
                        .map(p -> p.line() + ":" + p.column() + " " + p.path() + ": " + p.message()).toList());
    }
}
