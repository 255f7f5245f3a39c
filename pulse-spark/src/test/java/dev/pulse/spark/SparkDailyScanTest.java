package dev.pulse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.ExperimentName;
import dev.pulse.plan.Planner;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.dialect.SparkDialect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Daily results add no scan on Spark: the statement reads each pass's daily CTE twice (per-unit values
 * and the series), which Spark inlines; its exchange reuse must leave one scan of the metric source in
 * the executed plan, and as many of the assignment source as without daily results.
 */
class SparkDailyScanTest {

    @Test
    void eachSourceIsScannedOnce() throws Exception {
        SparkSession spark = TestSpark.session();
        Path folder = Files.createTempDirectory("pulse-spark-daily-scan");
        spark.sql("SELECT 'exp' AS exp_name, IF(id % 2 = 0, 'control', 'treat') AS variant, id AS org, "
                + "TIMESTAMP '2026-03-01 00:00:00' + make_interval(0, 0, 0, 0, CAST(id % 72 AS INT), 0, 0) AS ts "
                + "FROM range(200)").write().parquet(folder.resolve("exposures").toString());
        spark.sql("SELECT id % 200 AS org, TIMESTAMP '2026-03-01 00:00:00' + make_interval(0, 0, 0, 0, "
                + "CAST(id % 90 AS INT), 0, 0) AS ts, CAST(id % 13 AS DOUBLE) AS revenue, "
                + "CAST(id % 7 AS STRING) AS user_name FROM range(5000)").write().parquet(folder.resolve("events").toString());
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW exposures AS SELECT * FROM parquet.`" + folder.resolve("exposures") + "`");
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW events AS SELECT * FROM parquet.`" + folder.resolve("events") + "`");

        int[] plain = scans(spark, false);
        int[] daily = scans(spark, true);
        assertEquals(1, plain[0], "events scans without daily results");
        assertEquals(1, daily[0], "events scans with daily results");
        assertEquals(plain[1], daily[1], "exposures scans");
    }

    /** The Parquet scans of events and of exposures in the executed plan of the experiment's statement. */
    private static int[] scans(SparkSession spark, boolean timeseries) {
        var config = TestModel.config(
                List.of(TestModel.assignment("exposures", TestModel.table("exposures")),
                        TestModel.metricSource("events", TestModel.table("events"))),
                List.of(TestModel.sum("revenue", "events", "revenue", null),
                        TestModel.countDistinct("users", "events", "user_name", null),
                        TestModel.unitCount("buyers", "events", "revenue > 4")),
                List.of(TestModel.experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-04",
                        "revenue", "users", "buyers").withTimeseries(timeseries)));
        String sql = SqlRenderer.of(SparkDialect.DEFAULT).render(Planner.plan(config, new ExperimentName("exp")));
        var frame = spark.sql(sql);
        frame.collect();
        // after execution the adaptive plan is final: count the Parquet scans that ran (AssignmentScans.count)
        var ran = frame.queryExecution().executedPlan();
        return new int[] {AssignmentScans.count(ran, "events"), AssignmentScans.count(ran, "exposures")};
    }
}
