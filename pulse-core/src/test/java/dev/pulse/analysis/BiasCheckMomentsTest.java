package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.BiasCheck;
import dev.pulse.model.Cuped;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.Planner;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.DeltaMethodComparison;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pre-experiment bias check on in-memory DuckDB: 900 orgs, a third each in control, treat_a and treat_b,
 * first exposed between 2026-03-10 00:00 and 03-11 23:00; revenue rows within the 3 days before each org's
 * exposure (pre-period) and the 15 hours after it; treat_b's pre-period rows carry 12 more revenue each (an
 * assignment that is not independent of past spend); sessions before and after. Metrics: revenue (sum, Y ≡ 1)
 * and revenue per session (ratio). Also a fixture of {@link EngineEquivalenceTest} (PostgreSQL, Spark).
 */
class BiasCheckMomentsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final int LOOKBACK = 3;

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT 'exp' AS exp_name,
                       CASE i % 3 WHEN 0 THEN 'control' WHEN 1 THEN 'treat_a' ELSE 'treat_b' END AS variant,
                       i AS org,
                       TIMESTAMP '2026-03-10 00:00:00' + to_hours(CAST(i % 48 AS BIGINT)) AS ts
                FROM range(0, 900) AS r(i)""");
        warehouse.execute("""
                CREATE TABLE events AS
                SELECT x.org,
                       CASE WHEN j < 3 THEN x.ts - to_hours(CAST(6 + 17 * j + x.org % 7 AS BIGINT))
                            ELSE x.ts + to_hours(CAST(1 + 5 * (j - 3) + x.org % 5 AS BIGINT)) END AS ts,
                       CAST((x.org * 37 + j * 11) % 50 + (x.org // 7) % 13 + CASE WHEN x.variant = 'treat_b' AND j < 3 THEN 12 ELSE 0 END
                            AS DOUBLE) AS revenue
                FROM exposures x, range(0, 6) AS r(j)
                WHERE (x.org + j) % 4 <> 0""");
        warehouse.execute("""
                CREATE TABLE sessions AS
                SELECT x.org,
                       CASE WHEN k < 2 THEN x.ts - to_hours(CAST(2 + 20 * k + x.org % 3 AS BIGINT))
                            ELSE x.ts + to_hours(CAST(k AS BIGINT)) END AS ts
                FROM exposures x, range(0, 4) AS r(k)
                WHERE k <= 2 + x.org % 2""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    /** The experiment with the bias check, with or without CUPED on the same pre-period. */
    static PulseConfig config(boolean cuped) {
        AnalysisOptions options = AnalysisOptions.DEFAULT.withBiasCheck(new BiasCheck(LOOKBACK, BiasCheck.DEFAULT_THRESHOLD));
        return configWith(cuped ? options.withCuped(new Cuped(LOOKBACK)) : options);
    }

    private static PulseConfig configWith(AnalysisOptions options) {
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat_a", "treat_b"), "2026-03-10",
                "2026-03-12", "revenue", "revenue_per_session");
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")),
                        metricSource("events", table("events")),
                        metricSource("sessions", table("sessions"))),
                List.of(sum("revenue", "events", "revenue", null),
                        ratio("revenue_per_session",
                                aggregate("events", AggregateFunction.SUM, "revenue", null),
                                aggregate("sessions", AggregateFunction.COUNT_ROWS, null, null))),
                List.of(experiment.withOptions(options)));
    }

    @Test
    void flagsTheImbalancedArmAndAdvisesCupedWithoutIt() {
        ExperimentResult result = Analyzer.analyze(config(false), EXP, warehouse);
        BiasCheckResult check = result.biasCheck().orElseThrow();
        assertEquals(4, check.familySize());
        assertEquals(List.of("revenue/treat_b", "revenue_per_session/treat_b"),
                check.flagged().stream().map(e -> e.metric() + "/" + e.group()).toList());
        assertTrue(check.entries().stream().noneMatch(BiasCheckResult.Entry::cupedCorrects));
        String banner = check.banner().orElseThrow();
        assertTrue(banner.contains("revenue (treat_b), revenue_per_session (treat_b)"), banner);
        assertTrue(banner.contains("turn on cuped: {lookback_days: 3}"), banner);
        // no adjustment without cuped: the comparisons are the plain ones of a run without the check
        ExperimentResult plain = Analyzer.analyze(configWith(AnalysisOptions.DEFAULT), EXP, warehouse);
        assertEquals(JsonOutput.metrics(0.05, plain.metrics()), JsonOutput.metrics(0.05, result.metrics()));
        assertTrue(result.metrics().stream().flatMap(m -> m.comparisons().stream()).allMatch(c -> c.cuped().isEmpty()));
        // in every output
        assertTrue(ConsoleTable.experiments(List.of(result)).contains("!! PRE-EXPERIMENT BIAS: revenue (treat_b)"));
        String json = JsonOutput.experiments(List.of(result));
        assertTrue(json.contains("\"bias_check\" : {\n      \"lookback_days\" : 3,"), json);
        assertTrue(json.contains("\"control_pre_mean\""), json);
        String csv = CsvOutput.experiments(List.of(result));
        List<String> header = List.of(csv.lines().findFirst().orElseThrow().split(","));
        int flagged = header.indexOf("bias_flagged");
        assertEquals(flagged + 1, header.indexOf("bias_cuped_corrects"), csv);
        assertTrue(csv.lines().filter(line -> line.startsWith("exp,revenue,sum,treat_b,"))
                .allMatch(line -> List.of(line.split(",", -1)).subList(flagged, flagged + 2).equals(List.of("true", "false"))),
                csv);
        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(dev.pulse.output.html.HtmlReport.render(List.of(result)));
        org.jsoup.nodes.Element alert = page.selectFirst("section div[role=alert][data-bias=flagged]");
        assertEquals(banner, alert.text());
        // at the top of the experiment's section: before the tables
        assertTrue(page.html().indexOf("data-bias=\"flagged\"") < page.html().indexOf("<table"), "banner above the tables");
    }

    @Test
    void aBalancedAssignmentPassesWithAQuietLine() {
        warehouse.execute("UPDATE events SET revenue = revenue - 12 WHERE org % 3 = 2 AND ts < TIMESTAMP '2026-03-10 00:00:00'"
                + " + to_hours(CAST(org % 48 AS BIGINT))");
        ExperimentResult result = Analyzer.analyze(config(false), EXP, warehouse);
        BiasCheckResult check = result.biasCheck().orElseThrow();
        assertTrue(check.flagged().isEmpty(), check.toString());
        assertTrue(check.banner().isEmpty());
        assertTrue(ConsoleTable.experiments(List.of(result)).contains("Pre-experiment bias check passed: no metric's 3-day"
                + " pre-period value differs between the groups (Bonferroni-adjusted p < 0.001 over 4 comparisons)."));
        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(dev.pulse.output.html.HtmlReport.render(List.of(result)));
        assertTrue(page.select("[data-bias=flagged]").isEmpty());
        assertEquals(check.summary(), page.selectFirst("p[data-bias=passed]").text());
    }

    @Test
    void withCupedOnTheSamePrePeriodTheBannerSaysItCorrects() {
        ExperimentResult result = Analyzer.analyze(config(true), EXP, warehouse);
        BiasCheckResult check = result.biasCheck().orElseThrow();
        assertEquals(2, check.flagged().size());
        assertTrue(check.entries().stream().allMatch(BiasCheckResult.Entry::cupedCorrects));
        String banner = check.banner().orElseThrow();
        assertTrue(banner.contains("CUPED on the same pre-period corrects for it in expectation: revenue,"
                + " revenue_per_session."), banner);
        assertFalse(banner.contains("turn on cuped"), banner);
        // the same pre-period moments: the check's figures do not depend on whether CUPED adjusts
        BiasCheckResult without = Analyzer.analyze(config(false), EXP, warehouse).biasCheck().orElseThrow();
        for (int i = 0; i < check.entries().size(); i++) {
            assertEquals(without.entries().get(i).comparison(), check.entries().get(i).comparison());
        }
    }

    /**
     * The pre-period values come from the raw rows, computed here by a query of their own: per org its revenue
     * in {@code [first exposure − 3 days, first exposure)} (0 without rows), then the plain comparison of those
     * per-unit values (Y ≡ 1).
     */
    @Test
    void thePrePeriodValuesAreThoseOfTheRawRows() {
        BiasCheckResult check = Analyzer.analyze(config(false), EXP, warehouse).biasCheck().orElseThrow();
        GroupMoments control = rawPreRevenue("control");
        for (String group : List.of("treat_a", "treat_b")) {
            var expected = DeltaMethodComparison.compare(control, rawPreRevenue(group), 0.05);
            var actual = check.entry("revenue", group).orElseThrow().comparison();
            assertClose(expected.controlMean(), actual.controlMean());
            assertClose(expected.treatmentMean(), actual.treatmentMean());
            assertClose(expected.absolute().stdError(), actual.absolute().stdError());
            assertEquals(expected.pValue(), actual.pValue(), 1e-9 + 1e-9 * expected.pValue());
        }
    }

    /** The same statement as CUPED's: no added scan, the same passes, the same text. */
    @Test
    void theCheckReadsThePrePeriodInTheSamePassAsCuped() {
        PulseConfig cuped = configWith(AnalysisOptions.DEFAULT.withCuped(new Cuped(LOOKBACK)));
        assertEquals(Planner.plan(cuped, EXP).passes(), Planner.plan(config(false), EXP).passes());
        assertEquals(Planner.plan(configWith(AnalysisOptions.DEFAULT), EXP).passes().size(),
                Planner.plan(config(false), EXP).passes().size());
        assertEquals(MomentsFetcher.fetch(cuped, EXP, warehouse).sql(), MomentsFetcher.fetch(config(false), EXP, warehouse).sql());
    }

    private GroupMoments rawPreRevenue(String group) {
        QueryResult rows = warehouse.query("""
                SELECT COUNT(*) AS n, SUM(v) AS s, SUM(v * v) AS ss FROM (
                  SELECT x.org, COALESCE(SUM(e.revenue), 0) AS v
                  FROM exposures x LEFT JOIN events e
                    ON e.org = x.org AND e.ts >= x.ts - INTERVAL 3 DAY AND e.ts < x.ts
                  WHERE x.variant = '%s'
                  GROUP BY x.org) AS units""".formatted(group));
        QueryResult.Row row = rows.rows().get(0);
        return GroupMoments.ofSums(row.getLong("n"), row.getDouble("s"), row.getDouble("ss"));
    }

    private static void assertClose(double expected, double actual) {
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)));
    }
}
