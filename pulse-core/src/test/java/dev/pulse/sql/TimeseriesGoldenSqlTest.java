package dev.pulse.sql;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.countDistinct;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static dev.pulse.plan.TestModel.unitCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.Direction;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.Planner;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.dialect.DuckDbDialect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Golden SQL of an experiment's statement with daily results ({@code golden/timeseries/<dialect>.sql});
 * run with {@code -Dgolden.update=true} to rewrite it. A sum, a distinct count (counted on each value's
 * first day), a unit count and a ratio over two sources; a windowed metric has no daily results and is
 * left out of the series.
 */
class TimeseriesGoldenSqlTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    private static PulseConfig config() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events")),
                        metricSource("sessions", table("sessions"))),
                List.of(sum("revenue", "events", "revenue", null),
                        countDistinct("active_users", "events", "user_id", null),
                        unitCount("purchasing_orgs", "events", "event = 'purchase'"),
                        ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null)),
                        sum("revenue_7d", "events", "revenue", null).withOptions(new MetricOptions(Direction.TWO_SIDED,
                                Optional.empty(), Optional.of(new MetricWindow(0, 7))))),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-14",
                        "revenue", "active_users", "purchasing_orgs", "revenue_per_session", "revenue_7d")
                        .withTimeseries(true)));
    }

    @Test
    void duckDb() throws IOException {
        check(DuckDbDialect.DEFAULT, "duckdb.sql");
    }

    @Test
    void postgres() throws IOException {
        check(dev.pulse.sql.dialect.PostgresDialect.DEFAULT, "postgres.sql");
    }

    @Test
    void spark() throws IOException {
        check(dev.pulse.sql.dialect.SparkDialect.DEFAULT, "spark.sql");
    }

    @Test
    void databricks() throws IOException {
        check(dev.pulse.sql.dialect.DatabricksDialect.DEFAULT, "databricks.sql");
    }

    private static void check(Dialect dialect, String name) throws IOException {
        String sql = SqlRenderer.of(dialect).render(Planner.plan(config(), new ExperimentName("exp")));
        Path file = GOLDEN.resolve("timeseries").resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), file + " is missing; run with -Dgolden.update=true");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), sql, "golden " + file);
        String series = sql.substring(sql.indexOf("daily_moments"), sql.indexOf("exclusions"));
        assertTrue(series.contains("revenue_per_session__mean_x"), series);
        assertTrue(!series.contains("revenue_7d__"), "the windowed metric has no daily results");
    }
}
