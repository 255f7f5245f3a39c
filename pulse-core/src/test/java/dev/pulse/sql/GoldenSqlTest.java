package dev.pulse.sql;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.count;
import static dev.pulse.plan.TestModel.countDistinct;
import static dev.pulse.plan.TestModel.csv;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.mean;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.parquet;
import static dev.pulse.plan.TestModel.query;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static dev.pulse.plan.TestModel.unitCount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Dimensions;
import dev.pulse.model.Direction;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.IdMapping;
import dev.pulse.model.IdType;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Winsorization;
import dev.pulse.plan.Planner;
import dev.pulse.plan.TestModel;
import dev.pulse.sql.dialect.DuckDbDialect;
import dev.pulse.sql.dialect.PostgresDialect;
import dev.pulse.sql.dialect.SparkDialect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden SQL: {@code src/test/resources/golden/<case>/<dialect>.sql} pins what each dialect renders.
 * Run with {@code -Dgolden.update=true} to rewrite the files after an intended change, then review the diff.
 */
class GoldenSqlTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final String PURCHASE = "event = 'purchase'";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("one_source", oneSource()),
                Arguments.of("ratio_two_sources", ratioTwoSources()),
                Arguments.of("mean_filter", meanFilter()),
                Arguments.of("sql_source", sqlSource()),
                Arguments.of("cuped", cuped()),
                Arguments.of("multi_covariate", multiCovariate()),
                Arguments.of("winsorize", winsorize()),
                Arguments.of("cuped_winsorize", cupedWinsorize()),
                Arguments.of("metric_window", metricWindow()),
                Arguments.of("dimensions", dimensions()),
                Arguments.of("interactions", interactions()),
                Arguments.of("id_mapping", idMapping()),
                Arguments.of("trigger", trigger()),
                Arguments.of("first_latest_value", firstLatestValue()),
                Arguments.of("participation", participation()),
                Arguments.of("threshold", threshold()),
                Arguments.of("retention", retention()),
                Arguments.of("date_partition", datePartition()));
    }

    /** The dialects every case is rendered in. */
    /** Every engine's dialect, from the engines themselves: a new engine gets every golden case. */
    static final List<Dialect> DIALECTS = java.util.Arrays.stream(dev.pulse.model.Engine.values())
            .map(dev.pulse.sql.dialect.Dialects::forEngine).toList();

    static Stream<Arguments> casesAndDialects() {
        return cases().flatMap(c -> DIALECTS.stream().map(d -> Arguments.of(c.get()[0], c.get()[1], d)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("casesAndDialects")
    void golden(String name, PulseConfig config, Dialect dialect) throws IOException {
        String sql;
        try {
            sql = SqlRenderer.of(dialect).render(Planner.plan(forDialect(config, dialect), new ExperimentName("exp")));
        } catch (dev.pulse.error.PulseException e) {
            // an engine without ordered aggregates refuses some cases (config validation refuses them first): the
            // golden file pins the refusal
            if (e.category() != dev.pulse.error.PulseException.Category.SQL_UNSUPPORTED || dev.pulse.model.Engine
                    .ofConfigName(dialect.name()).orElseThrow().has(dev.pulse.model.Engine.Ability.ORDERED_AGGREGATES)) {
                throw e;
            }
            sql = "-- " + dialect.name() + " refuses this case: " + e.getMessage() + "\n";
        }
        Path file = GOLDEN.resolve(name).resolve(dialect.name() + ".sql");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), file + " is missing; run with -Dgolden.update=true");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), sql, "golden " + file);
    }

    /**
     * The pre-experiment bias check without CUPED asks for CUPED's pre-period in the same pass and adds no scan:
     * every dialect renders exactly the statement of golden/cuped (same lookback, no adjustment downstream).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void biasCheckWithoutCupedRendersCupedsGoldenStatement(Dialect dialect) throws IOException {
        PulseConfig cuped = cuped();
        dev.pulse.model.Experiment experiment = cuped.experiments().values().iterator().next();
        PulseConfig biasCheck = TestModel.config(List.copyOf(cuped.sources().values()),
                List.copyOf(cuped.metrics().values()), List.of(experiment.withOptions(AnalysisOptions.DEFAULT
                        .withBiasCheck(new dev.pulse.model.BiasCheck(14, dev.pulse.model.BiasCheck.DEFAULT_THRESHOLD)))));
        String sql = SqlRenderer.of(dialect).render(Planner.plan(forDialect(biasCheck, dialect), new ExperimentName("exp")));
        assertEquals(Files.readString(GOLDEN.resolve("cuped").resolve(dialect.name() + ".sql"), StandardCharsets.UTF_8),
                sql, "bias check without CUPED, " + dialect.name());
    }

    /**
     * Several covariates add aggregates over the unit table and nothing else (docs/regression-adjustment.md): every
     * dialect's statement, less its {@code pulse_cov_} lines (and the commas that separate items), is CUPED's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dialects")
    void severalCovariatesAddOnlyAggregatesToCupedsStatement(Dialect dialect) {
        String cuped = SqlRenderer.of(dialect).render(Planner.plan(forDialect(cuped(), dialect), new ExperimentName("exp")));
        String several = SqlRenderer.of(dialect).render(Planner.plan(forDialect(multiCovariate(), dialect),
                new ExperimentName("exp")));
        assertTrue(several.contains("pulse_cov_0x_1x0"), several);
        java.util.function.Function<String, String> items = sql -> sql.lines()
                .filter(line -> !line.contains("pulse_cov_")).map(line -> line.replaceAll(",$", ""))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(items.apply(cuped), items.apply(several), dialect.name());
    }

    static Stream<Dialect> dialects() {
        return DIALECTS.stream();
    }

    /**
     * {@code config} as {@code dialect} can read it: where the engine reads no files (its facts), each file
     * source becomes a table named after the source (what a user loading the file would write).
     */
    static PulseConfig forDialect(PulseConfig config, Dialect dialect) {
        if (dev.pulse.model.Engine.ofConfigName(dialect.name()).orElseThrow().readsFiles()) {
            return config;
        }
        java.util.Map<dev.pulse.model.SourceName, dev.pulse.model.Source> sources = new java.util.LinkedHashMap<>();
        config.sources().forEach((name, source) -> sources.put(name, source.relation() instanceof dev.pulse.model.Relation.Files
                ? new dev.pulse.model.Source(name, new dev.pulse.model.Relation.Table(List.of(name.value())),
                        source.timestampColumn(), source.idColumns(), source.assignment())
                : source));
        return new PulseConfig(config.file(), config.warehouse(), sources, config.metrics(), config.experiments());
    }

    static Stream<Arguments> casesReadingFiles() {
        return cases().filter(c -> ((PulseConfig) c.get()[1]).sources().values().stream()
                .anyMatch(source -> source.relation() instanceof dev.pulse.model.Relation.Files));
    }

    @org.junit.jupiter.api.Test
    void sparkReadsACsvSourceThroughTheViewItsSetupRegisters() {
        PulseConfig config = ratioTwoSources();
        String sql = SqlRenderer.of(SparkDialect.DEFAULT).render(Planner.plan(config, new ExperimentName("exp")));
        dev.pulse.model.Relation.Files sessions = (dev.pulse.model.Relation.Files) config.source(
                new dev.pulse.model.SourceName("sessions")).relation();
        String view = SparkDialect.DEFAULT.fileRelation(sessions);
        assertTrue(sql.contains("FROM " + view + " AS `src`"), sql);
        assertTrue(SparkDialect.DEFAULT.fileSetup(sessions).get(0).startsWith("CREATE OR REPLACE TEMPORARY VIEW " + view
                + " USING csv OPTIONS (path '/data/sessions*.csv', header 'true'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casesReadingFiles")
    void postgresRefusesFileSourcesNamingTheDialect(String name, PulseConfig config) {
        dev.pulse.error.PulseException failure = org.junit.jupiter.api.Assertions.assertThrows(dev.pulse.error.PulseException.class,
                () -> SqlRenderer.of(PostgresDialect.DEFAULT).render(Planner.plan(config, new ExperimentName("exp"))));
        assertEquals(dev.pulse.error.PulseException.Category.SQL_UNSUPPORTED, failure.category());
        assertTrue(failure.getMessage().contains("dialect postgres"), failure.getMessage());
    }

    /**
     * ID resolution: purchases keyed by user_id reach org units through the identify source (links,
     * one unit per ID, a mapped pass with its row counts); events carry org_id and are joined directly.
     */
    private static PulseConfig idMapping() {
        IdType user = new IdType("user_id");
        Source identify = new Source(new SourceName("identify"), table("identify"), "ts",
                Map.of(TestModel.ORG, "org", user, "user_id"), Optional.empty());
        Source purchases = new Source(new SourceName("purchases"), table("purchases"), "ts", Map.of(user, "user_id"),
                Optional.empty());
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), identify, purchases,
                        metricSource("events", table("events"))),
                List.of(sum("revenue", "purchases", "revenue", null), count("views", "events", "event = 'view'")),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "revenue", "views").withIdMapping(Optional.of(new IdMapping(new SourceName("identify"), user)))));
    }

    /** Table assignment, Parquet events, sum and filtered count, listed groups, an end date. */
    private static PulseConfig oneSource() {
        return TestModel.config(
                List.of(assignment("exposures", table("analytics", "exposures")),
                        metricSource("events", parquet("/data/events.parquet"))),
                List.of(sum("revenue", "events", "revenue", null), count("purchases", "events", PURCHASE)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "revenue", "purchases")));
    }

    /**
     * Sources partitioned by a date column (Hive-style {@code date=…} folders): every scan bounds it too, a day wider
     * on each side than its timestamp's dates, from the CUPED pre-period's start.
     */
    private static PulseConfig datePartition() {
        return TestModel.config(
                List.of(partitioned(assignment("exposures", parquet("/data/exposures/*/*.parquet"))),
                        partitioned(metricSource("events", parquet("/data/events/*/*.parquet")))),
                List.of(sum("revenue", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "revenue").withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(7)))));
    }

    private static dev.pulse.model.Source partitioned(dev.pulse.model.Source source) {
        return new dev.pulse.model.Source(source.name(), source.relation(), source.timestampColumn(), source.idColumns(),
                source.assignment(), java.util.Optional.of("date"));
    }

    /** A ratio whose numerator and denominator come from two sources (one a CSV file); no end, groups found in the data. */
    private static PulseConfig ratioTwoSources() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", parquet("/data/events.parquet")),
                        metricSource("sessions", csv("/data/sessions*.csv"))),
                List.of(ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null)),
                        sum("revenue", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of(), "2026-03-01", null,
                        "revenue_per_session", "revenue")));
    }

    /** A mean with a filter (sum and records share one row expression) beside unit_count and count_distinct. */
    private static PulseConfig meanFilter() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events"))),
                List.of(mean("avg_purchase_value", "events", "revenue", PURCHASE),
                        unitCount("purchasing_orgs", "events", PURCHASE),
                        countDistinct("active_users", "events", "user_id", null),
                        sum("purchase_revenue", "events", "revenue", PURCHASE)),
                List.of(experiment("exp", "exposures", List.of("control", "treat_a", "treat_b"), "2026-03-01",
                        "2026-03-28", "avg_purchase_value", "purchasing_orgs", "active_users", "purchase_revenue")));
    }

    /** Assignment and metrics from sql sources: the user's SELECT is only wrapped. */
    private static PulseConfig sqlSource() {
        return TestModel.config(
                List.of(assignment("exposures", query("SELECT org, variant, ts, exp_name\nFROM raw.assignments\nWHERE ts IS NOT NULL")),
                        metricSource("orders", query("SELECT o.org, o.ts, o.amount FROM raw.orders AS o"))),
                List.of(sum("order_value", "orders", "amount", "amount > 0")),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-01",
                        "order_value")));
    }

    /** CUPED over 14 days: a sum and a ratio over two sources, each pass widened and split by period. */
    private static PulseConfig cuped() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events")),
                        metricSource("sessions", table("sessions"))),
                List.of(sum("revenue", "events", "revenue", null),
                        ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null)),
                        unitCount("purchasing_orgs", "events", PURCHASE)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "revenue", "revenue_per_session", "purchasing_orgs")
                        .withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(14)))));
    }

    /**
     * CUPED's experiment with every metric a covariate (docs/regression-adjustment.md): the same statement plus the
     * covariances of each metric's X and Y with the other metrics' pre-periods, and of the pre-periods with each other.
     */
    private static PulseConfig multiCovariate() {
        PulseConfig cuped = cuped();
        return TestModel.config(List.copyOf(cuped.sources().values()), List.copyOf(cuped.metrics().values()),
                List.of(cuped.experiments().values().iterator().next()
                        .withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(14, List.of(), true)))));
    }

    /**
     * Winsorized sum (both caps) and mean (upper cap only) beside an uncapped sum that shares the
     * sum's column: caps over the pooled unit table, the uncapped column passed through.
     */
    private static PulseConfig winsorize() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null).withOptions(
                                new MetricOptions(Direction.INCREASE, Optional.of(Winsorization.between(0.01, 0.99)))),
                        mean("avg_purchase_value", "events", "revenue", PURCHASE).withOptions(new MetricOptions(
                                Direction.TWO_SIDED, Optional.of(new Winsorization(OptionalDouble.empty(), OptionalDouble.of(0.95))))),
                        sum("revenue_raw", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "revenue", "avg_purchase_value", "revenue_raw")));
    }

    /** A winsorized ratio under CUPED: the pre-period X₀ and Y₀ are capped at their own quantiles. */
    private static PulseConfig cupedWinsorize() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events"))),
                List.of(ratio("revenue_per_user",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("events", AggregateFunction.COUNT_DISTINCT, "user_id", null))
                        .withOptions(new MetricOptions(Direction.TWO_SIDED,
                                Optional.of(new Winsorization(OptionalDouble.of(0.05), OptionalDouble.empty()))))),
                List.of(experiment("exp", "exposures", List.of(), "2026-03-01", null, "revenue_per_user")
                        .withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(7)))));
    }

    /**
     * Metric windows: a 7-day sum and a capped 1–3-day ratio beside an unwindowed sum over the same
     * column, all in one scan of events (conditional aggregation); open windows are NULL in the unit
     * table, and a windowed metric's n is counted.
     */
    /**
     * A trigger: units counted from their first checkout page view; a windowed metric measured from there,
     * and CUPED, whose pre-period still ends at the first exposure.
     */
    private static PulseConfig trigger() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("page_views", table("page_views")),
                        metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null),
                        sum("revenue_7d", "events", "revenue", null).withOptions(new MetricOptions(Direction.TWO_SIDED,
                                Optional.empty(), Optional.of(new MetricWindow(0, 7))))),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "revenue", "revenue_7d").toBuilder()
                        .trigger(Optional.of(new dev.pulse.model.Trigger(new SourceName("page_views"),
                                Optional.of("page = 'checkout'"))))
                        .options(dev.pulse.model.AnalysisOptions.DEFAULT.withCuped(new dev.pulse.model.Cuped(7)))
                        .build()));
    }

    private static PulseConfig metricWindow() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events"))),
                List.of(sum("revenue_7d", "events", "revenue", null).withOptions(new MetricOptions(Direction.TWO_SIDED,
                                Optional.empty(), Optional.of(new MetricWindow(0, 7)))),
                        ratio("revenue_per_user_d1_3",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("events", AggregateFunction.COUNT_DISTINCT, "user_id", null))
                                .withOptions(new MetricOptions(Direction.TWO_SIDED,
                                        Optional.of(new Winsorization(OptionalDouble.empty(), OptionalDouble.of(0.99))),
                                        Optional.of(new MetricWindow(1, 3)))),
                        sum("revenue", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "revenue_7d", "revenue_per_user_d1_3", "revenue")));
    }

    /**
     * Dimensions with winsorization: each column at the first exposure (ARG_MIN), bucketed into its top
     * 5 values over the (capped) unit table, moments by GROUPING SETS.
     */
    private static PulseConfig dimensions() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null).withOptions(new MetricOptions(Direction.TWO_SIDED,
                                Optional.of(new Winsorization(OptionalDouble.empty(), OptionalDouble.of(0.99))))),
                        count("purchases", "events", PURCHASE)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "revenue", "purchases").withDimensions(new Dimensions(List.of("country", "platform"), 5))));
    }

    /**
     * Interactions with two other experiments, one listing its groups, beside a dimension: each other experiment's
     * per-unit groups first in the WITH list (so that the assignment source's name still names the source), joined
     * to the unit table, its value passed through unbucketed, and a grouping set per breakdown.
     */
    private static PulseConfig interactions() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28", "revenue")
                                .withDimensions(new Dimensions(List.of("country"), 5)).toBuilder()
                                .interactions(List.of(new ExperimentName("pricing"), new ExperimentName("search"))).build(),
                        experiment("pricing", "exposures", List.of("control", "high"), "2026-02-20", "2026-03-20", "revenue"),
                        experiment("search", "exposures", List.of(), "2026-03-05", null, "revenue")));
    }

    /**
     * first_value (with a filter), latest_value and a windowed latest_value under CUPED: each value at the
     * least or greatest (timestamp, value) with NULL values filtered out, and whether the unit has one, in
     * the source's one pass, for the post- and the pre-period.
     */
    private static PulseConfig firstLatestValue() {
        dev.pulse.model.SourceName events = new dev.pulse.model.SourceName("events");
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(new dev.pulse.model.Metric.FirstValue(new dev.pulse.model.MetricName("first_price"), events,
                                "price", Optional.of("kind = 'plan'"), MetricOptions.DEFAULT),
                        new dev.pulse.model.Metric.LatestValue(new dev.pulse.model.MetricName("latest_price"), events,
                                "price", Optional.empty(), MetricOptions.DEFAULT),
                        new dev.pulse.model.Metric.LatestValue(new dev.pulse.model.MetricName("latest_price_7d"), events,
                                "price", Optional.empty(), new MetricOptions(Direction.TWO_SIDED, Optional.empty(),
                                Optional.of(new MetricWindow(0, 7))))),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "first_price", "latest_price", "latest_price_7d")
                        .withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(14)))));
    }

    /**
     * participation (with a filter) beside a count on the same rows, under CUPED, with daily results: the
     * distinct days with a row in the pass; the days in the experiment from the unit table (the experiment's
     * 28 days less the day index of the first exposure; the lookback, 14, in the pre-period); the count alone
     * in the series.
     */
    private static PulseConfig participation() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(new dev.pulse.model.Metric.Participation(new dev.pulse.model.MetricName("visit_days"),
                                new dev.pulse.model.SourceName("events"), Optional.of("event = 'visit'"),
                                MetricOptions.DEFAULT),
                        count("visits", "events", "event = 'visit'")),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "visit_days", "visits")
                        .withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(14))).withTimeseries(true)));
    }

    /**
     * Threshold metrics over a sum ({@code >=}), a filtered count ({@code >}) and a windowed distinct count
     * beside a plain sum of the same column, under CUPED and with daily results: the pass aggregates are
     * the plain ones, and the unit table (and the daily running values) compare them, 0 for a unit without
     * rows, with the threshold.
     */
    private static PulseConfig threshold() {
        dev.pulse.model.SourceName events = new dev.pulse.model.SourceName("events");
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events"))),
                List.of(new dev.pulse.model.Metric.Threshold(new dev.pulse.model.MetricName("big_spenders"), events,
                                AggregateFunction.SUM, Optional.of("revenue"), Optional.empty(),
                                new dev.pulse.model.UnitThreshold(100, dev.pulse.model.UnitThreshold.Comparison.AT_LEAST)),
                        new dev.pulse.model.Metric.Threshold(new dev.pulse.model.MetricName("frequent_buyers"), events,
                                AggregateFunction.COUNT_ROWS, Optional.empty(), Optional.of(PURCHASE),
                                new dev.pulse.model.UnitThreshold(2.5, dev.pulse.model.UnitThreshold.Comparison.ABOVE)),
                        new dev.pulse.model.Metric.Threshold(new dev.pulse.model.MetricName("multi_user_week_1"), events,
                                AggregateFunction.COUNT_DISTINCT, Optional.of("user_id"), Optional.empty(),
                                new dev.pulse.model.UnitThreshold(2, dev.pulse.model.UnitThreshold.Comparison.AT_LEAST))
                                .withOptions(new MetricOptions(Direction.TWO_SIDED, Optional.empty(),
                                        Optional.of(new MetricWindow(0, 7)))),
                        sum("revenue", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "big_spenders", "frequent_buyers", "multi_user_week_1", "revenue")
                        .withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(14))).withTimeseries(true)));
    }

    /**
     * D7 retention (a session in [first exposure + 7 days, + 14 days)) and D1 retention of any row: windowed
     * "any row" aggregates, NULL for a unit whose window is open at the end, beside the same unit count
     * without a window.
     */
    private static PulseConfig retention() {
        dev.pulse.model.SourceName events = new dev.pulse.model.SourceName("events");
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events"))),
                List.of(new dev.pulse.model.Metric.Retention(new dev.pulse.model.MetricName("d7_retention"), events,
                                Optional.of("event = 'session_start'"), new MetricWindow(7, 14)),
                        new dev.pulse.model.Metric.Retention(new dev.pulse.model.MetricName("d1_retention"), events,
                                Optional.empty(), new MetricWindow(1, 2)),
                        unitCount("active_orgs", "events", "event = 'session_start'")),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-28",
                        "d7_retention", "d1_retention", "active_orgs")));
    }
}
