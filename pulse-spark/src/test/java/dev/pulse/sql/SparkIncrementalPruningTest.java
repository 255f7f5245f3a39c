package dev.pulse.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.analysis.AnalysisRun;
import dev.pulse.analysis.IncrementalRefresh;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.Planner;
import dev.pulse.spark.SparkWarehouse;
import dev.pulse.spark.TestSpark;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * Issue 13's pruning proof on Spark (docs/spark.md#incremental-refreshes-on-spark): over a Hive-partitioned Parquet
 * source ({@code events/date=2026-03-05/…}, read as a folder, so that Spark discovers {@code date} as a partition
 * column) with {@code date_partition: date}, the day-27 refresh's scan of the events reads only the files of the days
 * it reads again, where a full run's reads every file of the experiment's dates: the executed plan's
 * {@code FileSourceScanExec} metrics "number of files read" and "number of partitions read". The data and config are
 * those of the DuckDB and PostgreSQL proofs ({@code IncrementalPruningTest}).
 */
class SparkIncrementalPruningTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    @TempDir
    Path folder;

    /** Rows of days {@code from}..{@code to} (0 = 2026-03-01), 500 per day: IncrementalPruningTest's, in DuckDB's SQL. */
    private static String rows(int from, int to) {
        return "SELECT i % 400 AS unit_id, (i % 400) * 10 + i % 7 AS user_id,"
                + " TIMESTAMP '2026-03-01' + to_seconds(CAST((i / 500 + " + from + ") * 86400 + (i % 500) * 170 AS BIGINT)) AS ts,"
                + " CAST(TIMESTAMP '2026-03-01' + to_seconds(CAST((i / 500 + " + from + ") * 86400 AS BIGINT)) AS DATE) AS date,"
                + " CAST(i % 13 AS DOUBLE) AS revenue FROM range(" + (to - from + 1) * 500 + ") t(i)";
    }

    private static final String EXPOSURES = "SELECT u AS unit_id,"
            + " TIMESTAMP '2026-03-01' + to_seconds(CAST(u % 20 * 86400 + u AS BIGINT)) AS exposed_at,"
            + " CAST(TIMESTAMP '2026-03-01' + to_seconds(CAST(u % 20 * 86400 AS BIGINT)) AS DATE) AS date,"
            + " 'exp' AS exp_name, CASE WHEN u % 2 = 0 THEN 'control' ELSE 'treatment' END AS variant FROM range(400) t(u)";

    private PulseConfig config(Path events, Path exposures) throws IOException {
        Path file = folder.resolve("pulse.yaml");
        Files.writeString(file, """
                sources:
                  events: {path: '%s', format: parquet, date_partition: date, timestamp: ts, ids: {unit_id: unit_id}}
                  exposures: {path: '%s', format: parquet, date_partition: date, timestamp: exposed_at,
                              ids: {unit_id: unit_id}, experiment: exp_name, group: variant}
                metrics:
                  revenue: {type: sum, source: events, value: revenue}
                  buyers: {type: count_distinct, source: events, value: user_id}
                experiments:
                  exp:
                    assignment: exposures
                    unit: unit_id
                    control: control
                    groups: [control, treatment]
                    start: 2026-03-01
                    end: 2026-03-28
                    metrics: [revenue, buyers]
                """.formatted(events, exposures));
        PulseConfig base = ConfigLoader.load(file);
        return new PulseConfig(base.file(), WarehouseConfig.spark(SparkSettings.FROM_SUBMIT).withStagingSchema("pulse_inc_pruning"),
                base.sources(), base.metrics(), base.experiments());
    }

    @Test
    void aRefreshReadsOnlyTheNewDaysFilesOfAHivePartitionedSource() throws IOException {
        Path events = folder.resolve("events");
        Path exposures = folder.resolve("exposures");
        try (Warehouse duckDb = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            duckDb.execute("COPY (" + rows(-7, 26) + ") TO '" + events + "' (FORMAT parquet, PARTITION_BY (date))");
            duckDb.execute("COPY (" + EXPOSURES + ") TO '" + exposures + "' (FORMAT parquet, PARTITION_BY (date))");
            SparkWarehouse spark = TestSpark.warehouse();
            PulseConfig config = config(events, exposures);
            AnalysisRun.of(config, List.of(EXP)).withIncremental(IncrementalRefresh.Settings.defaults()).run(spark, phase -> { });

            // day 27's rows arrive in a folder of their own
            Files.createDirectories(events.resolve("date=2026-03-28"));
            duckDb.execute("COPY (" + rows(27, 27) + ") TO '" + events + "/date=2026-03-28/data_0.parquet' (FORMAT parquet)");
            ExperimentPlan plan = Planner.plan(config, EXP);
            Dialect dialect = Dialects.forEngine(spark.engine());
            String refreshScan = IncrementalSql.of(dialect).passParts(plan, plan.passes().get(0),
                    IncrementalRefresh.state(config, EXP), Optional.of(new IncrementalSql.Bounds(25)));
            List<FileSourceScanExec> refreshed = scans(refreshScan, events);
            List<FileSourceScanExec> full = scans(SqlRenderer.of(dialect).render(plan), events);

            // days 25-27 and the day before (the partition dates are widened by a day): 4 of the 36 folders
            assertEquals(List.of(4L), metric(refreshed, "numFiles"));
            assertEquals(List.of(4L), metric(refreshed, "numPartitions"));
            // a full run: every date from the day before the start (2026-02-28) to the end's, 2026-03-28
            assertEquals(List.of(29L), metric(full, "numFiles"));
            assertEquals(List.of(29L), metric(full, "numPartitions"));
            System.out.println("Spark files read from events: refresh " + metric(refreshed, "numFiles") + ", full run "
                    + metric(full, "numFiles"));
        }
    }

    /** Runs {@code statement} on Spark and returns the file scans of {@code location} its executed plan ran. */
    private static List<FileSourceScanExec> scans(String statement, Path location) {
        Dataset<Row> frame = TestSpark.session().sql(statement);
        frame.collectAsList();
        List<FileSourceScanExec> scans = dev.pulse.spark.AssignmentScans.scans(frame.queryExecution().executedPlan(),
                location.getFileName().toString());
        assertTrue(!scans.isEmpty(), "no scan of " + location + " in " + frame.queryExecution().executedPlan());
        return scans;
    }

    private static List<Long> metric(List<FileSourceScanExec> scans, String key) {
        return scans.stream().map(scan -> scan.metrics().apply(key).value()).toList();
    }
}
