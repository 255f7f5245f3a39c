package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.BigQuerySettings;
import dev.pulse.model.Engine;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warehouse: {engine: bigquery, project, location, dataset, labels, maximum_bytes_billed}}: read, checked
 * with file:line:column, its tables dataset-qualified, and file sources refused.
 */
class BigQueryConfigTest {
    private static final String REST = """
            sources:
              exposures: {table: analytics.exposures, timestamp: ts, ids: {user_id: user_id}, experiment: experiment, group: grp}
            metrics:
              clicks: {type: count, source: exposures}
            experiments:
              button-color: {assignment: exposures, unit: user_id, control: blue, start: 2026-01-01, metrics: [clicks]}
            """;

    @TempDir
    Path folder;

    private Path write(String text) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, text);
        return file;
    }

    private List<String> problems(Path file) {
        return ConfigLoader.problems(file).stream().map(p -> p.line() + ":" + p.column() + " " + p.path() + ": " + p.message())
                .toList();
    }

    @Test
    void everyKeyIsRead() throws IOException {
        PulseConfig config = ConfigLoader.load(write("""
                warehouse:
                  engine: bigquery
                  project: my-analytics-project
                  location: EU
                  dataset: analytics
                  labels: {team: growth, cost_center: cc-42, tool: pulse}
                  maximum_bytes_billed: 10_000_000_000
                  results_table: pulse_results
                """ + REST));
        assertEquals(Engine.BIGQUERY, config.warehouse().engine());
        assertEquals(Optional.of(new BigQuerySettings("my-analytics-project", Optional.of("EU"), Optional.of("analytics"),
                Map.of("team", "growth", "cost_center", "cc-42", "tool", "pulse"), OptionalLong.of(10_000_000_000L))),
                config.warehouse().bigQuery());
        assertEquals(List.of("team", "cost_center", "tool"), List.copyOf(config.warehouse().bigQuery().get().labels().keySet()));
        // Pulse's tables are dataset-qualified: the staging table in the default dataset
        assertEquals(new TableName(List.of("analytics", "pulse_staging_button-color")),
                config.warehouse().stagingTable(new ExperimentName("button-color")));
        assertEquals(Optional.empty(), config.warehouse().server());
    }

    @Test
    void onlyTheProjectIsRequired() throws IOException {
        PulseConfig config = ConfigLoader.load(write("warehouse: {engine: bigquery, project: my-analytics-project}\n" + REST));
        assertEquals(Optional.of(BigQuerySettings.ofProject("my-analytics-project")), config.warehouse().bigQuery());
        assertEquals(List.of("2:3 warehouse: missing 'project' (the Google Cloud project that runs the query jobs, such as"
                        + " my-analytics-project)"),
                problems(write("warehouse:\n  engine: bigquery\n" + REST)));
    }

    @Test
    void badKeysAreReportedWithTheirPositions() throws IOException {
        Path file = write("""
                warehouse:
                  engine: bigquery
                  project: My Project
                  dataset: my-project.analytics
                  labels: {Team: growth, cost_center: CC 42, ok: [1]}
                  maximum_bytes_billed: 1.5
                  url: jdbc:bigquery://x
                  database: analytics.duckdb
                """ + REST);
        assertEquals(List.of(
                        "3:12 warehouse.project: expected a project ID such as my-analytics-project (6 to 30 lower-case letters,"
                                + " digits and '-', starting with a letter; the ID, not the project's display name), got 'My Project'",
                        "4:12 warehouse.dataset: expected a dataset name such as analytics (letters, digits and '_'; write the"
                                + " project in 'project'), got 'my-project.analytics'",
                        "5:12 warehouse.labels.Team: expected a label key (lower-case letters, digits, '_' and '-', at most 63"
                                + " characters, starting with a letter), got 'Team'",
                        "5:39 warehouse.labels.cost_center: expected a label value (lower-case letters, digits, '_' and '-', at"
                                + " most 63 characters), got 'CC 42'",
                        "5:50 warehouse.labels.ok: expected a label value (lower-case letters, digits, '_' and '-', at most 63"
                                + " characters), got a list",
                        "6:25 warehouse.maximum_bytes_billed: expected a whole number of bytes from 1 to 9e15, such as"
                                + " 10000000000 (10 GB), got '1.5'",
                        "7:3 warehouse.url: 'url' is for engine postgres or trino or snowflake or redshift or databricks, not bigquery",
                        "8:3 warehouse.database: 'database' is for engine duckdb; on bigquery set 'dataset' (the default"
                                + " dataset) or name tables as dataset.table in 'table:' sources"),
                problems(file));
    }

    @Test
    void aResultsTableNeedsADataset() throws IOException {
        assertEquals(List.of("1:77 warehouse.results_table: expected a dataset-qualified table name such as"
                        + " analytics.pulse_results (BigQuery names every table with its dataset), got 'pulse_results'; or set"
                        + " 'dataset', the default dataset"),
                problems(write("warehouse: {engine: bigquery, project: my-analytics-project, results_table: pulse_results}\n"
                        + REST)));
        PulseConfig config = ConfigLoader.load(write("warehouse: {engine: bigquery, project: my-analytics-project, "
                + "results_table: other-project.reporting.pulse_results}\n" + REST));
        assertEquals(List.of("other-project", "reporting", "pulse_results"), config.warehouse().resultsTable().orElseThrow().parts());
    }

    @Test
    void bigQueryKeysAreForBigQueryOnly() throws IOException {
        assertEquals(List.of("1:29 warehouse.project: 'project' is for engine bigquery, not duckdb"),
                problems(write("warehouse: {engine: duckdb, project: my-analytics-project}\n" + REST)));
    }

    @Test
    void fileSourcesAreRefusedWithAHint() throws IOException {
        Path file = write("""
                warehouse: {engine: bigquery, project: my-analytics-project}
                sources:
                  events: {path: data/events.parquet, timestamp: ts, ids: {user_id: user_id}}
                """ + REST.substring(REST.indexOf('\n') + 1));
        assertEquals(List.of("3:18 sources.events.path: engine bigquery cannot read files: load the file into a table and"
                        + " name it with 'table:' (or query it with 'sql:'), or use engine duckdb, which reads CSV and Parquet files"),
                problems(file));
    }
}
