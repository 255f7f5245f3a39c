package dev.pulse.output.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The report's escaping and its undefined figures, on hand-made results. */
class HtmlReportTest {
    private static final String SCRIPT = "<script>alert('metric')</script>";
    private static final String IMAGE = "\"><img src=x onerror=alert(1)>";

    private static ExperimentResult result(String metric, String group, Comparison comparison, String sql) {
        return ExperimentResult.builder().experiment("exp<b>1</b>").unit("org_id").engine("duckdb")
                .start(LocalDate.of(2026, 3, 1)).end(Optional.of(LocalDate.of(2026, 3, 28))).alpha(0.05)
                .groups(List.of(new ExperimentResult.GroupCount("control", 1000, 0.5), new ExperimentResult.GroupCount(group, 1010, 0.5)))
                .srm(Optional.of(new ExperimentResult.Srm(0.05, 1, 0.82, true)))
                .metrics(List.of(new MetricResult(metric, "sum", List.of(new MetricResult.GroupComparison(group, "control", comparison)))))
                .warnings(List.of("a warning with <em>markup</em>")).sql(sql).build();
    }

    private static Comparison defined() {
        return new Comparison(10.0, 11.0, 1000, 1010, new Interval(1.0, 0.4, 0.2, 1.8), new Interval(0.1, 0.04, 0.02, 0.18),
                2000.0, 0.013, true, List.of());
    }

    @Test
    void namesAndSqlAreEscaped() {
        String html = HtmlReport.render(List.of(result(SCRIPT, IMAGE, defined(), "SELECT '</code></pre><script>x()</script>'")));
        assertFalse(html.contains("<script>alert"), html);
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("<b>1</b>"), html);
        assertFalse(html.contains("<em>"), html);
        Document page = Jsoup.parse(html);
        // the only script is the report's own, which opens the collapsed sections for printing
        assertEquals(1, page.select("script").size());
        assertTrue(page.selectFirst("script").data().contains("beforeprint"));
        assertTrue(page.select("img").isEmpty());
        Element row = page.selectFirst("table.metrics tbody tr");
        assertEquals(SCRIPT, row.selectFirst("th .metric").text());
        assertEquals(IMAGE, row.selectFirst("td.group").text());
        assertEquals(SCRIPT, row.attr("data-metric"));
        assertTrue(row.selectFirst("svg title").text().startsWith(SCRIPT));
        assertEquals("SELECT '</code></pre><script>x()</script>'", page.selectFirst("details.sql code").text());
        assertEquals("Experiment exp<b>1</b>", page.selectFirst("h2").text());
    }

    @Test
    void undefinedFiguresShowADashAndNoChart() {
        Comparison undefined = new Comparison(10.0, null, 1, 1, new Interval(null, null, null, null),
                new Interval(null, null, null, null), null, null, false, List.of("fewer than 2 units in a group"));
        Document page = Jsoup.parse(HtmlReport.render(List.of(result("revenue", "treatment", undefined, "SELECT 1"))));
        Element row = page.selectFirst("tr[data-metric=revenue]");
        assertEquals("10.00", row.selectFirst("td.control").text());
        assertEquals("-", row.selectFirst("td.treatment").text());
        assertEquals("-", row.selectFirst("td.relative-interval").text());
        assertEquals("-", row.selectFirst("td.p-value").text());
        assertEquals("-", row.selectFirst("td.chart").text());
        assertTrue(row.select("svg").isEmpty());
        assertTrue(page.text().contains("fewer than 2 units in a group"));
    }

    @Test
    void theIntervalChartsShareOneScaleAroundZero() {
        Comparison small = new Comparison(10.0, 10.1, 1000, 1010, new Interval(0.1, 0.4, -0.7, 0.9),
                new Interval(0.01, 0.04, -0.07, 0.09), 2000.0, 0.8, false, List.of());
        ExperimentResult twoMetrics = ExperimentResult.builder().experiment("e").unit("org_id").engine("duckdb")
                .start(LocalDate.of(2026, 3, 1)).alpha(0.05)
                .groups(List.of(new ExperimentResult.GroupCount("control", 1000, 0.5), new ExperimentResult.GroupCount("t", 1010, 0.5)))
                .metrics(List.of(new MetricResult("a", "sum", List.of(new MetricResult.GroupComparison("t", "control", defined()))),
                        new MetricResult("b", "sum", List.of(new MetricResult.GroupComparison("t", "control", small)))))
                .sql("SELECT 1").build();
        Document page = Jsoup.parse(HtmlReport.render(List.of(twoMetrics)));
        List<Element> charts = page.select("td.chart svg");
        assertEquals(2, charts.size());
        // the same zero line in both; the largest end (+18 %) sets the scale's half-width with a 10 % margin
        String zero = charts.get(0).selectFirst("line").attr("x1");
        assertEquals(zero, charts.get(1).selectFirst("line").attr("x1"));
        assertEquals("70.0", zero);
        assertEquals("+19.80%", page.selectFirst("th svg text:last-of-type").text());
        assertTrue(page.selectFirst("tr[data-metric=a]").hasClass("increase"));
        assertTrue(page.selectFirst("tr[data-metric=b]").hasClass("neutral"));
        assertTrue(page.select("[data-srm]").isEmpty());
        assertTrue(page.text().contains("latest data"));
    }

    @Test
    void metricTablesFollowTheRolesPrimaryGuardrailSecondary() {
        ExperimentResult result = ExperimentResult.builder().experiment("e").unit("org_id").engine("duckdb")
                .start(LocalDate.of(2026, 3, 1)).alpha(0.05)
                .groups(List.of(new ExperimentResult.GroupCount("control", 1000, 0.5), new ExperimentResult.GroupCount("t", 1010, 0.5)))
                .metrics(List.of(new MetricResult("s", "sum", List.of(new MetricResult.GroupComparison("t", "control", defined()))),
                        new MetricResult("p", "sum", List.of(new MetricResult.GroupComparison("t", "control", defined()))),
                        new MetricResult("g", "sum", List.of(new MetricResult.GroupComparison("t", "control", defined())))))
                .roles(java.util.Map.of("s", dev.pulse.model.MetricRole.SECONDARY, "p", dev.pulse.model.MetricRole.PRIMARY,
                        "g", dev.pulse.model.MetricRole.GUARDRAIL))
                .sql("SELECT 1").build();
        Document page = Jsoup.parse(HtmlReport.render(List.of(result)));
        List<Element> tables = page.select("table.metrics");
        assertEquals(List.of("primary", "guardrail", "secondary"), tables.stream().map(t -> t.attr("data-role")).toList());
        assertEquals(List.of("p", "g", "s"), tables.stream().map(t -> t.selectFirst("tr[data-metric]").attr("data-metric")).toList());
        for (Element table : tables) {
            Element heading = page.getElementById(table.attr("aria-labelledby"));
            assertEquals("h3", heading.tagName());
        }
        assertEquals(List.of("Primary metrics", "Guardrail metrics", "Secondary metrics"),
                tables.stream().map(t -> page.getElementById(t.attr("aria-labelledby")).text()).toList());
    }

    /**
     * The days-since-exposure chart: drawn beside the daily ones with a band over the points that have an interval
     * (not k = 2, whose control has 1 unit and no interval), the line over every point with an estimate, and a table
     * row per point with its exact figures; a comparison without the series has no such chart.
     */
    @Test
    void theDaysSinceExposureChartAndTableCarryTheFiguresOfTheSeries() {
        Comparison oneUnit = new Comparison(9.0, 10.0, 1, 3, new Interval(1.0, null, null, null),
                new Interval(0.111, null, null, null), null, null, false, List.of("control has fewer than 2 units"));
        List<MetricResult.ExposureDayPoint> points = List.of(new MetricResult.ExposureDayPoint(0, 1000, 1010, defined()),
                new MetricResult.ExposureDayPoint(1, 600, 590, defined()), new MetricResult.ExposureDayPoint(2, 1, 3, oneUnit));
        List<MetricResult.DailyPoint> days = List.of(new MetricResult.DailyPoint(LocalDate.of(2026, 3, 1), 500, 505, defined()),
                new MetricResult.DailyPoint(LocalDate.of(2026, 3, 2), 900, 905, defined()),
                new MetricResult.DailyPoint(LocalDate.of(2026, 3, 3), 1000, 1010, defined()));
        MetricResult withSeries = new MetricResult("revenue", "sum", dev.pulse.model.Direction.TWO_SIDED,
                List.of(new MetricResult.GroupComparison("t", "control", defined())), java.util.OptionalLong.empty(),
                java.util.Map.of("t", days), java.util.Map.of(), List.of(), java.util.Map.of("t", points));
        MetricResult dailyOnly = new MetricResult("orders", "sum", dev.pulse.model.Direction.TWO_SIDED,
                List.of(new MetricResult.GroupComparison("t", "control", defined())), java.util.OptionalLong.empty(),
                java.util.Map.of("t", days));
        ExperimentResult result = ExperimentResult.builder().experiment("e").unit("org_id").engine("duckdb")
                .start(LocalDate.of(2026, 3, 1)).end(java.util.Optional.of(LocalDate.of(2026, 3, 3))).alpha(0.05)
                .groups(List.of(new ExperimentResult.GroupCount("control", 1000, 0.5), new ExperimentResult.GroupCount("t", 1010, 0.5)))
                .metrics(List.of(withSeries, dailyOnly)).sql("SELECT 1").build();
        Document page = Jsoup.parse(HtmlReport.render(List.of(result)));
        Element section = page.selectFirst("section.daily[data-metric=revenue]");
        Element chart = section.selectFirst("figure.since-exposure svg[role=img]");
        assertEquals("Relative lift of revenue, t vs control, by days since exposure", chart.selectFirst("title").text());
        assertEquals(chart.selectFirst("title").text(), chart.attr("aria-label"));
        assertTrue(chart.selectFirst("desc").text().endsWith("Day 2: +11.10% (no interval: a group has fewer than 2 units)."), chart.selectFirst("desc").text());
        assertEquals(3, chart.selectFirst("polyline.estimate").attr("points").split(" ").length);
        assertEquals(4, chart.selectFirst("polygon.band").attr("points").split(" ").length);
        assertEquals(List.of("day 0", "day 1", "day 2"), chart.select("text[text-anchor=middle]").eachText());
        List<Element> rows = section.select("table.since-exposure tbody tr");
        assertEquals(List.of("0", "1", "2"), rows.stream().map(row -> row.attr("data-days-since-exposure")).toList());
        assertEquals("0.1", rows.get(0).attr("data-relative"));
        assertEquals("0.02", rows.get(1).attr("data-ci-lower"));
        assertEquals("", rows.get(2).attr("data-ci-lower"));
        assertEquals("1 / 3", rows.get(2).select("td").get(0).text());
        assertTrue(section.selectFirst("table.since-exposure caption").text().contains("whose day k had ended"));
        assertEquals(null, page.selectFirst("section.daily[data-metric=orders] figure.since-exposure"));
        assertEquals(null, page.selectFirst("section.daily[data-metric=orders] table.since-exposure"));
    }

    @Test
    void theHealthSectionAndTheDailyChartsCarryTheFiguresOfTheResults() {
        ExperimentResult result = dev.pulse.analysis.ExperimentHealthTest.result(java.util.OptionalLong.of(4000));
        dev.pulse.analysis.ExperimentHealth health = dev.pulse.analysis.ExperimentHealth.of(result);
        Document page = Jsoup.parse(HtmlReport.render(List.of(result)));
        Element section = page.selectFirst("section.health");
        List<Element> days = section.select("table.health-days tbody tr");
        assertEquals(health.days().size(), days.size());
        for (int i = 0; i < days.size(); i++) {
            dev.pulse.analysis.ExperimentHealth.Day day = health.days().get(i);
            Element row = days.get(i);
            assertEquals(day.date().toString(), row.attr("data-date"));
            assertEquals(day.srm().map(s -> Double.toString(s.pValue())).orElse(""), row.attr("data-srm-p-value"));
            for (Element cell : row.select("td[data-group]")) {
                assertEquals(day.cumulativeUnits().get(cell.attr("data-group")), Long.parseLong(cell.attr("data-units")));
                assertEquals(day.newUnits().get(cell.attr("data-group")), Long.parseLong(cell.attr("data-new-units")));
            }
        }
        // two line charts (new units, SRM by day), each named, described and with a legend
        List<Element> charts = section.select("figure svg");
        assertEquals(2, charts.size());
        for (Element chart : charts) {
            assertFalse(chart.selectFirst("title").text().isBlank());
            assertFalse(chart.selectFirst("desc").text().isBlank());
            assertFalse(chart.selectFirst("polyline").attr("points").isBlank());
        }
        assertEquals(1, section.select("figure.srm-by-day line.reference").size());
        Element bar = section.selectFirst("[role=progressbar]");
        assertEquals("2010", bar.attr("aria-valuenow"));
        assertEquals("4000", bar.attr("aria-valuemax"));
        assertEquals(Double.toString(2010 / 4000.0), bar.attr("data-fraction"));
        assertEquals("width: 50.2%", bar.selectFirst(".progress-fill").attr("style"));
        assertEquals(List.of("multiple_groups", "unknown_group", "not_triggered", "window_open:revenue"),
                section.select("table.exclusions tr[data-reason]").eachAttr("data-reason"));
        Element mde = section.selectFirst("table.detectable tr[data-metric=revenue]");
        assertEquals(Double.toString(health.power().get(0).now()), mde.attr("data-mde-now"));
        // the daily charts of the series metric: its lift and the two groups' values, and the data behind them
        Element daily = page.selectFirst("section.daily[data-metric=revenue]");
        assertEquals(1, daily.select("figure.lift svg polygon.band").size());
        assertEquals(List.of("control", "treat"), daily.select("figure.means polyline").eachAttr("data-name"));
        assertEquals("10.0", daily.select("table.days tbody tr").get(1).attr("data-control-mean"));
    }
}
