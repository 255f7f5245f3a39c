package dev.pulse.sql;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.parquet;
import static dev.pulse.plan.TestModel.percentile;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.PercentilePlan;
import dev.pulse.plan.Planner;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.dialect.DuckDbDialect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden SQL of the two percentile statements ({@code golden/percentile_indicator} and
 * {@code golden/percentile_levels}); {@code -Dgolden.update=true} rewrites them. Also: the
 * experiment's ordinary statement skips percentile metrics.
 */
class PercentileGoldenSqlTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final ExperimentName EXP = new ExperimentName("exp");

    /** Table assignment, Parquet page loads, a filtered p90 beside a sum; listed groups and an end date. */
    private static PulseConfig config(String... metrics) {
        return TestModel.config(
                List.of(assignment("exposures", table("analytics", "exposures")),
                        metricSource("page_loads", parquet("/data/page_loads.parquet"))),
                List.of(sum("load_time", "page_loads", "latency_ms", null),
                        percentile("p90_latency", "page_loads", "latency_ms", 0.9, "page = 'checkout'")),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        metrics)));
    }

    /** The same with dimensions country and platform, top 5 values each. */
    private static PercentilePlan dimensionPlan(Dialect dialect) {
        PulseConfig config = config("load_time", "p90_latency");
        PulseConfig withDimensions = new PulseConfig(config.file(), config.warehouse(), config.sources(), config.metrics(),
                java.util.Map.of(EXP, config.experiment(EXP).withDimensions(
                        new dev.pulse.model.Dimensions(List.of("country", "platform"), 5))));
        return Planner.percentile(GoldenSqlTest.forDialect(withDimensions, dialect), EXP, new MetricName("p90_latency"));
    }

    private static PercentilePlan plan() {
        return Planner.percentile(config("load_time", "p90_latency"), EXP, new MetricName("p90_latency"));
    }

    private static PercentilePlan plan(Dialect dialect) {
        return Planner.percentile(GoldenSqlTest.forDialect(config("load_time", "p90_latency"), dialect), EXP,
                new MetricName("p90_latency"));
    }

    static Stream<Dialect> dialects() {
        return GoldenSqlTest.DIALECTS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void indicatorStatement(Dialect dialect) throws IOException {
        golden("percentile_indicator", dialect, PercentileSqlRenderer.of(dialect).indicatorStatement(plan(dialect)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void levelQuantilesStatement(Dialect dialect) throws IOException {
        BoundStatement statement = PercentileSqlRenderer.of(dialect).levelQuantilesStatement(plan(dialect),
                List.of(new PercentileSqlRenderer.GroupLevels("control", 0.8803, 0.9197),
                        new PercentileSqlRenderer.GroupLevels("it's", 0, 1)));
        golden("percentile_levels", dialect, statement.sql());
        // the group names came back from the data: parameters, once per aggregate, never SQL text
        assertEquals(List.of("control", "control", "it's", "it's"), statement.parameters());
        assertFalse(statement.sql().contains("it'"), statement.sql());
    }

    /** With dimensions: Q̂, X and the moments also per dimension value, in the same statement. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void indicatorStatementWithDimensions(Dialect dialect) throws IOException {
        golden("percentile_dimensions_indicator", dialect,
                PercentileSqlRenderer.of(dialect).indicatorStatement(dimensionPlan(dialect)));
    }

    /** With dimensions: a dimension value's group sees only its records, still in one scan. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void levelQuantilesStatementWithDimensions(Dialect dialect) throws IOException {
        BoundStatement statement = PercentileSqlRenderer.of(dialect).levelQuantilesStatement(
                dimensionPlan(dialect), List.of(
                        new PercentileSqlRenderer.GroupLevels("control", 0.8803, 0.9197),
                        new PercentileSqlRenderer.GroupLevels(java.util.Optional.of(
                                new PercentileSqlRenderer.Slice("country", "(null)")), "treat", 0.85, 0.95),
                        new PercentileSqlRenderer.GroupLevels(java.util.Optional.of(
                                new PercentileSqlRenderer.Slice("platform", "it's")), "control", 0, 1)));
        golden("percentile_dimensions_levels", dialect, statement.sql());
        assertEquals(List.of("control", "control", "treat", "(null)", "treat", "(null)", "control", "it's", "control", "it's"),
                statement.parameters());
    }

    @Test
    void aSliceOfAnUnknownDimensionIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PercentileSqlRenderer.of(DuckDbDialect.DEFAULT)
                .levelQuantilesStatement(dimensionPlan(DuckDbDialect.DEFAULT), List.of(new PercentileSqlRenderer.GroupLevels(
                        java.util.Optional.of(new PercentileSqlRenderer.Slice("continent", "EU")), "control", 0.1, 0.2))));
    }

    @Test
    void ordinaryStatementSkipsPercentileMetrics() {
        SqlRenderer renderer = SqlRenderer.of(DuckDbDialect.DEFAULT);
        String withPercentile = renderer.render(Planner.plan(config("load_time", "p90_latency"), EXP));
        assertEquals(renderer.render(Planner.plan(config("load_time"), EXP)), withPercentile);
        assertTrue(Planner.plan(config("p90_latency"), EXP).metrics().isEmpty());
    }

    @Test
    void onlyPercentileMetricsOfTheExperimentArePlanned() {
        PulseConfig config = config("load_time");
        assertThrows(PulseException.class, () -> Planner.percentile(config, EXP, new MetricName("p90_latency")));
        assertThrows(PulseException.class, () -> Planner.percentile(config, EXP, new MetricName("load_time")));
        assertThrows(IllegalArgumentException.class, () -> PercentileSqlRenderer.of(DuckDbDialect.DEFAULT)
                .levelQuantilesStatement(plan(), List.of()));
    }

    private static void golden(String name, Dialect dialect, String sql) throws IOException {
        Path file = GOLDEN.resolve(name).resolve(dialect.name() + ".sql");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), file + " is missing; run with -Dgolden.update=true");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), sql, "golden " + file);
    }
}
