package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.SparkSettings;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.PercentilePlan;
import dev.pulse.plan.Planner;
import dev.pulse.spark.TestSpark;
import dev.pulse.sql.BoundStatement;
import dev.pulse.sql.PercentileSqlRenderer;
import dev.pulse.sql.dialect.DuckDbDialect;
import dev.pulse.sql.dialect.SparkDialect;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The level-quantiles statement of a percentile metric with 64 group levels (8 groups, overall and per each of 7
 * dimension values: 240 parameters) gives on Spark, its names bound as parameters, exactly the quantiles of the
 * same statement with the names written as literals, and DuckDB's. Spark 4.2 bound positional {@code ?} markers
 * to other markers' values in this statement (other groups' quantiles came back); the named markers
 * {@code :p0, :p1, …} that {@link SparkDialect#parameter} writes bind each to its own.
 */
class SparkBoundLevelsTest {
    @TempDir
    Path temp;

    @Test
    void boundNamesGiveTheQuantilesOfLiteralNames() throws Exception {
        SparkSession spark = TestSpark.session();
        List<String> names = HostileValues.plainNames();
        Warehouse duckDb = HostileValues.duckDb(names);
        for (String table : HostileValues.columns().keySet()) {
            Path file = temp.resolve(table + ".parquet");
            duckDb.execute("COPY (SELECT * FROM \"" + table + "\") TO '" + file + "' (FORMAT PARQUET)");
            spark.read().parquet(file.toString()).createOrReplaceTempView(table);
        }
        PulseConfig config = HostileValues.config(temp, WarehouseConfig.spark(SparkSettings.FROM_SUBMIT));
        PercentilePlan plan = Planner.percentile(config, new ExperimentName("exp"), new MetricName("median_latency"));
        List<PercentileSqlRenderer.GroupLevels> levels = new ArrayList<>();
        for (String g : names) {
            levels.add(new PercentileSqlRenderer.GroupLevels(g, 0.4, 0.6));
            for (int v = 1; v < 8; v++) {
                levels.add(new PercentileSqlRenderer.GroupLevels(Optional.of(new PercentileSqlRenderer.Slice("country", names.get(v))), g, 0.4, 0.6));
            }
        }
        BoundStatement spk = PercentileSqlRenderer.of(SparkDialect.DEFAULT).levelQuantilesStatement(plan, levels);
        String inlined = spk.sql();
        for (int k = spk.parameters().size() - 1; k >= 0; k--) {
            inlined = inlined.replace(":p" + k + " ", SparkDialect.DEFAULT.stringLiteral((String) spk.parameters().get(k)) + " ");
        }
        Warehouse sparkWarehouse = TestSpark.warehouse();
        var bound = sparkWarehouse.query(spk.sql(), spk.parameters()).rows().get(0).values();
        var literal = sparkWarehouse.query(inlined).rows().get(0).values();
        PulseConfig dconfig = HostileValues.config(temp, WarehouseConfig.inMemoryDuckDb());
        BoundStatement dk = PercentileSqlRenderer.of(DuckDbDialect.DEFAULT).levelQuantilesStatement(
                Planner.percentile(dconfig, new ExperimentName("exp"), new MetricName("median_latency")), levels);
        var duck = duckDb.query(dk.sql(), dk.parameters()).rows().get(0).values();
        assertEquals(240, spk.parameters().size());
        assertEquals(literal, bound, "bound as parameters vs written as literals");
        assertEquals(duck, bound, "Spark vs DuckDB");
    }
}
