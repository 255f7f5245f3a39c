package dev.pulse.sql;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.funnel;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.parquet;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.error.PulseException;
import dev.pulse.model.Dimensions;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.FunnelPlan;
import dev.pulse.plan.Planner;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.dialect.DuckDbDialect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden SQL of the funnel statement ({@code golden/funnel}: two sources, ordered, a window from the first
 * step; {@code golden/funnel_dimensions}: by two dimensions, unordered, a window from the previous step, every
 * exposed unit as the denominator); {@code -Dgolden.update=true} rewrites them. Also: the experiment's ordinary
 * statement skips funnels, and each step source is scanned once.
 */
class FunnelGoldenSqlTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final MetricName FUNNEL = new MetricName("checkout");
    private static final String[][] STEPS = {
        {"viewed", "events", "event = 'view'"}, {"carted", "events", "event = 'cart'"}, {"bought", "orders", null}};

    private static PulseConfig config(Metric funnel, String... metrics) {
        return TestModel.config(
                List.of(assignment("exposures", table("analytics", "exposures")),
                        metricSource("events", table("analytics", "events")),
                        metricSource("orders", parquet("/data/orders.parquet"))),
                List.of(sum("revenue", "orders", "amount", null), funnel),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        metrics)));
    }

    private static Metric ordered() {
        return funnel("checkout", 7, Metric.Funnel.WindowFrom.FIRST_STEP, true, Metric.Funnel.Denominator.FIRST_STEP,
                STEPS);
    }

    private static FunnelPlan plan(Dialect dialect) {
        return Planner.funnel(GoldenSqlTest.forDialect(config(ordered(), "revenue", "checkout"), dialect), EXP, FUNNEL);
    }

    private static FunnelPlan dimensionPlan(Dialect dialect) {
        PulseConfig config = config(funnel("checkout", 2, Metric.Funnel.WindowFrom.PREVIOUS_STEP, false,
                Metric.Funnel.Denominator.EXPOSED, STEPS), "checkout");
        PulseConfig withDimensions = new PulseConfig(config.file(), config.warehouse(), config.sources(),
                config.metrics(), Map.of(EXP, config.experiment(EXP).withDimensions(
                        new Dimensions(List.of("country", "platform"), 5))));
        return Planner.funnel(GoldenSqlTest.forDialect(withDimensions, dialect), EXP, FUNNEL);
    }

    static Stream<Dialect> dialects() {
        return GoldenSqlTest.DIALECTS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void statement(Dialect dialect) throws IOException {
        golden("funnel", dialect, FunnelSqlRenderer.of(dialect).render(plan(dialect)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void statementWithDimensions(Dialect dialect) throws IOException {
        golden("funnel_dimensions", dialect, FunnelSqlRenderer.of(dialect).render(dimensionPlan(dialect)));
    }

    /** One scan of each step source: events (two steps) and orders each appear once in a FROM. */
    @Test
    void eachStepSourceIsScannedOnce() {
        String sql = FunnelSqlRenderer.of(DuckDbDialect.DEFAULT).render(plan(DuckDbDialect.DEFAULT));
        assertEquals(1, count(sql, "FROM \"analytics\".\"events\" AS \"src\""), sql);
        assertEquals(1, count(sql, "FROM read_parquet('/data/orders.parquet')"), sql);
        assertEquals(1, count(sql, "FROM \"analytics\".\"exposures\" AS \"src\""), sql);
    }

    @Test
    void ordinaryStatementSkipsFunnels() {
        SqlRenderer renderer = SqlRenderer.of(DuckDbDialect.DEFAULT);
        assertEquals(renderer.render(Planner.plan(config(ordered(), "revenue"), EXP)),
                renderer.render(Planner.plan(config(ordered(), "revenue", "checkout"), EXP)));
        assertTrue(Planner.plan(config(ordered(), "checkout"), EXP).metrics().isEmpty());
    }

    @Test
    void onlyFunnelMetricsOfTheExperimentArePlanned() {
        assertThrows(PulseException.class, () -> Planner.funnel(config(ordered(), "revenue"), EXP, FUNNEL));
        assertThrows(PulseException.class, () -> Planner.funnel(config(ordered(), "revenue", "checkout"), EXP,
                new MetricName("revenue")));
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
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
