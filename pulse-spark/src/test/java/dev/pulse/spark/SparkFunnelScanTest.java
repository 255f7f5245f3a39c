package dev.pulse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.plan.Planner;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.FunnelSqlRenderer;
import dev.pulse.sql.dialect.SparkDialect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * How often Spark reads a funnel's step source (docs/metric-types.md#funnel): the statement reads its
 * {@code funnel_rows} CTE once per step, and Spark inlines CTEs: three steps on one source read it once per step
 * in the executed plan, and once more since the counted units are one shared shuffle (SparkDialect.computeOnceMarker;
 * before it: three scans of the step source and two of the assignment source). DuckDB and PostgreSQL materialize the
 * CTE and read it once. Pinned so that the docs stay true.
 */
class SparkFunnelScanTest {

    @Test
    void scansOfTheStepSource() throws Exception {
        SparkSession spark = TestSpark.session();
        Path folder = Files.createTempDirectory("pulse-spark-funnel-scan");
        spark.sql("SELECT 'exp' AS exp_name, IF(id % 2 = 0, 'control', 'treat') AS variant, id AS org, "
                + "TIMESTAMP '2026-03-01 00:00:00' + make_interval(0, 0, 0, 0, CAST(id % 72 AS INT), 0, 0) AS ts "
                + "FROM range(200)").write().parquet(folder.resolve("exposures").toString());
        spark.sql("SELECT id % 200 AS org, TIMESTAMP '2026-03-01 00:00:00' + make_interval(0, 0, 0, 0, "
                + "CAST(id % 90 AS INT), 0, 0) AS ts, CAST(id % 13 AS DOUBLE) AS revenue "
                + "FROM range(5000)").write().parquet(folder.resolve("events").toString());
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW exposures AS SELECT * FROM parquet.`" + folder.resolve("exposures") + "`");
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW events AS SELECT * FROM parquet.`" + folder.resolve("events") + "`");
        var config = TestModel.config(
                List.of(TestModel.assignment("exposures", TestModel.table("exposures")),
                        TestModel.metricSource("events", TestModel.table("events"))),
                List.of(TestModel.funnel("f", 2, Metric.Funnel.WindowFrom.FIRST_STEP, true,
                        Metric.Funnel.Denominator.FIRST_STEP, new String[] {"a", "events", "revenue > 2"},
                        new String[] {"b", "events", "revenue > 5"}, new String[] {"c", "events", "revenue > 8"})),
                List.of(TestModel.experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-04",
                        "f")));
        String sql = FunnelSqlRenderer.of(SparkDialect.DEFAULT)
                .render(Planner.funnel(config, new ExperimentName("exp"), new MetricName("f")));
        var frame = spark.sql(sql);
        frame.collect();
        var ran = frame.queryExecution().executedPlan();
        System.out.println("Spark funnel scans: events " + AssignmentScans.count(ran, "events") + ", exposures " + AssignmentScans.count(ran, "exposures"));
        // one scan per step (each step's CTE recomputes the inlined funnel_rows, no exchange reuse across them), one more
        assertEquals(4, AssignmentScans.count(ran, "events"), ran::toString);
        assertEquals(1, AssignmentScans.count(ran, "exposures"), ran::toString);
    }
}
