package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.Direction;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricRole;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.JsonOutput;
import dev.pulse.output.html.HtmlReport;
import dev.pulse.plan.TestModel;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decision summary through the whole analysis in in-memory DuckDB (docs/report.md#decision-summary). 400 orgs,
 * control (even) and treat (odd); revenue (u·37 mod 101)/10 plus 1.5 in treat: the primary metric, clearly up;
 * clicks (u·53 mod 7) less 1 in treat where it is positive: a guardrail that should increase, clearly down; sessions
 * (u mod 5), the same in both groups: secondary. The summary's figures are the metrics' own, in the JSON, the table
 * and the report.
 */
class DecisionSummaryTest {
    private static final ExperimentName EXP = new ExperimentName("exp");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS
                SELECT 'exp' AS exp_name, CASE WHEN u % 2 = 0 THEN 'control' ELSE 'treat' END AS variant, u AS org,
                       TIMESTAMP '2026-03-01 00:00:00' + INTERVAL (u % 20) DAY AS ts
                FROM range(1, 401) AS t(u)""");
        warehouse.execute("""
                CREATE TABLE events AS
                SELECT u AS org, TIMESTAMP '2026-03-01 01:00:00' + INTERVAL (u % 20) DAY AS ts,
                       CAST((u * 37) % 101 AS DOUBLE) / 10 + CASE WHEN u % 2 = 1 THEN 1.5 ELSE 0 END AS revenue,
                       CAST((u * 53) % 7 AS DOUBLE) - CASE WHEN u % 2 = 1 AND (u * 53) % 7 > 0 THEN 1 ELSE 0 END AS clicks,
                       CAST(u % 5 AS DOUBLE) AS sessions
                FROM range(1, 401) AS t(u)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null),
                        sum("clicks", "events", "clicks", null).withOptions(new MetricOptions(Direction.INCREASE,
                                Optional.empty(), Optional.empty(), Optional.of(MetricRole.GUARDRAIL))),
                        sum("sessions", "events", "sessions", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-29",
                        "revenue", "clicks", "sessions").toBuilder()
                        .roles(Map.of(new MetricName("revenue"), MetricRole.PRIMARY,
                                new MetricName("clicks"), MetricRole.GUARDRAIL)).build()));
    }

    @Test
    void theSummaryIsTheMetricsFiguresByRole() throws Exception {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        assertEquals(MetricRole.SECONDARY, result.role("sessions"));
        DecisionSummary summary = DecisionSummary.of(result);
        assertEquals(1, summary.primary().size());
        DecisionSummary.Primary revenue = summary.primary().get(0);
        assertEquals("revenue", revenue.metric());
        assertEquals(result.metrics().get(0).comparisons().get(0).decision(), revenue.decision());
        assertTrue(revenue.significant());
        DecisionSummary.Guardrail clicks = summary.guardrails().get(0);
        assertEquals("clicks", clicks.metric());
        // its own test is one-sided for an increase, so not significant; the test of harm finds the drop
        assertFalse(result.metrics().get(1).comparisons().get(0).significant());
        assertTrue(clicks.harm().harmed(), clicks.harm().toString());
        assertFalse(summary.healthy());

        JsonNode decision = JSON.readTree(JsonOutput.experiments(List.of(result))).get("experiments").get(0);
        assertEquals("primary", decision.get("metrics").get(0).get("role").asText());
        assertEquals("guardrail", decision.get("metrics").get(1).get("role").asText());
        assertEquals("secondary", decision.get("metrics").get(2).get("role").asText());
        JsonNode primary = decision.get("decision").get("primary").get(0);
        assertEquals(decision.get("metrics").get(0).get("comparisons").get(0).get("relative").get("estimate").asDouble(),
                primary.get("relative").get("estimate").asDouble(), 0.0);
        assertTrue(decision.get("decision").get("guardrails").get(0).get("harmed").asBoolean());
        assertFalse(decision.get("decision").get("healthy").asBoolean());

        String table = ConsoleTable.experiments(List.of(result));
        assertTrue(table.contains("Decision: primary revenue / treat: +"), table);
        assertTrue(table.contains("Decision: guardrail clicks / treat HARMED: -"), table);
        String report = HtmlReport.render(List.of(result));
        assertTrue(report.contains("data-decision-healthy=\"false\""), report);
        List<String> items = org.jsoup.Jsoup.parse(report).select("section.decision li").eachText();
        for (String line : dev.pulse.output.Formats.decision(summary)) {
            assertTrue(items.contains(line), line + " in " + items);
        }
        // each primary and guardrail entry carries its exact figures
        org.jsoup.nodes.Element primaryEntry = org.jsoup.Jsoup.parse(report)
                .selectFirst("section.decision li[data-role=primary][data-metric=revenue]");
        assertEquals(primary.get("relative").get("estimate").asDouble(), Double.parseDouble(primaryEntry.attr("data-relative")), 0.0);
        assertEquals(primary.get("p_value").asDouble(), Double.parseDouble(primaryEntry.attr("data-p-value")), 0.0);
    }
}
