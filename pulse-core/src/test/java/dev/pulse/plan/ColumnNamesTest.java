package dev.pulse.plan;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.count;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.analysis.ExperimentData;
import dev.pulse.analysis.MomentsFetcher;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Direction;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Winsorization;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.dialect.DuckDbDialect;
import dev.pulse.sql.dialect.PostgresDialect;
import dev.pulse.sql.dialect.SparkDialect;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.model.WarehouseConfig;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The column names of the SQL are the metrics' names made safe on every engine: lower case, {@code .} and
 * {@code -} as {@code _}, cut so that every derived name fits PostgreSQL's 63 bytes, and {@code m<index>_…}
 * when two metrics would otherwise share one (case-insensitively, or after the cut).
 */
class ColumnNamesTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    /** 70 characters: longer than any stem, so that names differing only at the end collide after the cut. */
    private static final String LONG = "Checkout.Revenue-Per-Active-Organisation_" + "x".repeat(29);

    private enum Mode { PLAIN, CUPED, DAILY }

    private static PulseConfig config(List<Metric> metrics, Mode mode) {
        var experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-10", "2026-03-12",
                metrics.stream().map(metric -> metric.name().value()).toArray(String[]::new));
        experiment = switch (mode) {
            case PLAIN -> experiment;
            case CUPED -> experiment.withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(3)));
            case DAILY -> experiment.withTimeseries(true);
        };
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events")),
                        metricSource("sessions", table("sessions"))),
                metrics, List.of(experiment));
    }

    private static List<ColumnName> stems(PulseConfig config) {
        return Planner.plan(config, EXP).metrics().stream().map(MetricColumns::columnName).toList();
    }

    @Test
    void dotsDashesAndUpperCaseBecomeLowerCaseUnderscores() {
        assertEquals(List.of(new ColumnName("revenue_per_user")),
                stems(config(List.of(sum("Revenue.Per-User", "events", "revenue", null)), Mode.PLAIN)));
    }

    @Test
    void aggregatesAreNamedAfterTheirFirstMetricAndRole() {
        ExperimentPlan plan = Planner.plan(config(List.of(
                sum("revenue", "events", "revenue", null),
                ratio("revenue_per_session", aggregate("events", AggregateFunction.SUM, "revenue", null),
                        aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null)),
                TestModel.mean("avg_revenue", "events", "revenue", null)), Mode.PLAIN), EXP);
        // the ratio's numerator is revenue's sum: shared, it keeps the first metric's name
        // the mean's sum is revenue's too; its count of values is its own
        assertEquals(List.of("revenue__numerator", "revenue_per_session__denominator", "avg_revenue__records"),
                plan.aggregates().stream().map(column -> column.name().value()).toList());
        assertEquals("revenue__numerator", plan.aggregate(plan.metrics().get(1).x()).name().value());
    }

    @Test
    void namesDifferingOnlyInCaseOrPunctuationGetTheMetricsIndex() {
        assertEquals(List.of(new ColumnName("revenue"), new ColumnName("m1_revenue"), new ColumnName("rev_total"),
                        new ColumnName("m3_rev_total")),
                stems(config(List.of(sum("revenue", "events", "revenue", null), count("Revenue", "events", null),
                        sum("rev.total", "events", "revenue", null), count("rev-total", "events", null)), Mode.PLAIN)));
    }

    @Test
    void anIndexedNameAlreadyTakenIsNumberedFurther() {
        assertEquals(List.of(new ColumnName("a"), new ColumnName("m2_a"), new ColumnName("m2_2_a")),
                stems(config(List.of(sum("a", "events", "revenue", null), sum("m2_a", "events", "revenue", null),
                        count("A", "events", null)), Mode.PLAIN)));
    }

    @Test
    void longNamesAreCutAndStayDistinct() {
        List<ColumnName> stems = stems(config(List.of(sum(LONG + "_sum", "events", "revenue", null),
                count(LONG + "_count", "events", null)), Mode.PLAIN));
        String cut = LONG.toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_')
                .substring(0, MetricColumnNames.MAX_METRIC_STEM);
        assertEquals(List.of(new ColumnName(cut), new ColumnName(("m1_" + cut).substring(0, MetricColumnNames.MAX_METRIC_STEM))),
                stems);
    }

    /** Every identifier of the statement, in every dialect, with every feature that adds a suffix, fits 63 bytes. */
    @Test
    void everyIdentifierFitsPostgresLimit() {
        Metric winsorized = ratio(LONG + "_ratio", aggregate("events", AggregateFunction.SUM, "revenue", null),
                aggregate("sessions", AggregateFunction.COUNT_DISTINCT, "ts", null))
                .withOptions(new MetricOptions(Direction.TWO_SIDED,
                        Optional.of(new Winsorization(OptionalDouble.of(0.01), OptionalDouble.of(0.99)))));
        List<Metric> metrics = List.of(winsorized, sum(LONG + "_sum", "events", "revenue", null),
                count(LONG + "_count", "events", null));
        for (Mode mode : Mode.values()) {
            ExperimentPlan plan = Planner.plan(config(metrics, mode), EXP);
            for (Dialect dialect : List.of(DuckDbDialect.DEFAULT, PostgresDialect.DEFAULT, SparkDialect.DEFAULT)) {
                String quote = dialect == SparkDialect.DEFAULT ? "`" : "\"";
                Matcher identifiers = Pattern.compile(quote + "([^" + quote + "]+)" + quote)
                        .matcher(SqlRenderer.of(dialect).render(plan));
                Set<String> seen = new HashSet<>();
                while (identifiers.find()) {
                    String identifier = identifiers.group(1);
                    assertTrue(identifier.getBytes(StandardCharsets.UTF_8).length <= 63, mode + " " + identifier);
                    seen.add(identifier);
                }
                assertTrue(seen.stream().anyMatch(name -> name.length() >= 55), "the test reaches the limit: " + mode);
            }
        }
    }

    /*
     * Metrics whose names collide in SQL are still read back each as its own. Units (group: revenue rows):
     * 1 control: 10, 20; 2 control: 5; 3 treat: 7.
     *   sum:   control X = 30, 5 → mean 17.5, var (12.5² + 12.5²)/1 = 312.5; treat 7
     *   count: control X = 2, 1 → mean 1.5, var 0.5; treat 1
     */
    @Test
    void collidingMetricsAreReadBackEachAsItsOwn() {
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            warehouse.execute("""
                    CREATE TABLE exposures AS SELECT * FROM (VALUES
                      ('exp', 'control', 1, TIMESTAMP '2026-03-10 00:00:00'),
                      ('exp', 'control', 2, TIMESTAMP '2026-03-10 00:00:00'),
                      ('exp', 'treat',   3, TIMESTAMP '2026-03-10 00:00:00')
                    ) AS t(exp_name, variant, org, ts)""");
            warehouse.execute("""
                    CREATE TABLE events AS SELECT * FROM (VALUES
                      (1, TIMESTAMP '2026-03-10 01:00:00', 10.0),
                      (1, TIMESTAMP '2026-03-11 01:00:00', 20.0),
                      (2, TIMESTAMP '2026-03-10 01:00:00', 5.0),
                      (3, TIMESTAMP '2026-03-10 01:00:00', 7.0)
                    ) AS t(org, ts, revenue)""");
            warehouse.execute("CREATE TABLE sessions AS SELECT 1 AS org, TIMESTAMP '2026-03-10 00:00:00' AS ts");
            List<Metric> metrics = List.of(sum("Revenue", "events", "revenue", null), count("revenue", "events", null),
                    sum(LONG + "_sum", "events", "revenue", null), count(LONG + "_count", "events", null));
            ExperimentData data = MomentsFetcher.fetch(config(metrics, Mode.PLAIN), EXP, warehouse);
            for (String name : List.of("Revenue", LONG + "_sum")) {
                assertMoments(data.moments().get(new MetricName(name)).get("control"), 2, 17.5, 312.5);
                assertMoments(data.moments().get(new MetricName(name)).get("treat"), 1, 7, 0);
            }
            for (String name : List.of("revenue", LONG + "_count")) {
                assertMoments(data.moments().get(new MetricName(name)).get("control"), 2, 1.5, 0.5);
                assertMoments(data.moments().get(new MetricName(name)).get("treat"), 1, 1, 0);
            }
        }
    }

    private static void assertMoments(GroupMoments shifted, long n, double meanX, double varX) {
        GroupMoments moments = shifted.withShift(0);
        assertEquals(n, moments.n());
        assertEquals(meanX, moments.meanX(), 1e-12);
        assertEquals(varX, moments.varX(), 1e-12);
    }
}
