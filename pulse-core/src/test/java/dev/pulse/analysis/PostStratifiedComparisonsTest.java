package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.Dimensions;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.output.ConsoleTable;
import dev.pulse.output.CsvOutput;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.PostStratification;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code post_stratify: country} wired end to end on 600 deterministic units in DuckDB: three countries with
 * shares 2/5, 2/5, 1/5 and revenue levels 50, 20, 5, treatment +2 per unit; the statistics themselves are
 * checked in pulse-stats (PostStratificationTest).
 */
class PostStratifiedComparisonsTest {
    private static final ExperimentName EXP = new ExperimentName("exp");

    private Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        warehouse.execute("""
                CREATE TABLE exposures AS SELECT 'exp' AS exp_name,
                  CASE WHEN (i * 37) % 11 < 5 THEN 'control' ELSE 'treat' END AS variant, i AS org,
                  TIMESTAMP '2026-03-01 00:00:00' AS ts,
                  CASE WHEN i % 5 < 2 THEN 'DE' WHEN i % 5 < 4 THEN 'FR' ELSE 'US' END AS country
                FROM range(1, 601) AS t(i)""");
        warehouse.execute("""
                CREATE TABLE events AS SELECT i AS org, TIMESTAMP '2026-03-02 00:00:00' AS ts,
                  (CASE WHEN i % 5 < 2 THEN 50.0 WHEN i % 5 < 4 THEN 20.0 ELSE 5.0 END) * (1 + ((i * 13) % 17) / 10.0)
                    + CASE WHEN (i * 37) % 11 < 5 THEN 0.0 ELSE 2.0 END AS revenue
                FROM range(1, 601) AS t(i)""");
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    private static PulseConfig config() {
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-05", "revenue")
                        .withDimensions(new Dimensions(List.of("country"), 10, Optional.of("country")))));
    }

    /**
     * The estimate is Σ_k (n_k/N)(x̄_t,k − x̄_c,k) over the countries, here summed from a plain SQL GROUP BY of
     * the raw rows (not Pulse's moments); the SE and interval are PostStratification's on the per-value moments
     * the experiment's statement returned.
     */
    @Test
    void theEstimateIsTheWeightedSumOfTheCountriesDifferences() {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        assertEquals(1, result.postStratified().size());
        ExperimentResult.PostStratified stratified = result.postStratified().get(0);
        assertEquals("country", stratified.dimension());
        assertEquals(3, stratified.result().strataUsed());
        QueryResult rows = warehouse.query("""
                WITH u AS (SELECT e.org, e.variant, e.country, COALESCE(v.revenue, 0) AS revenue
                           FROM exposures e LEFT JOIN events v USING (org)),
                     k AS (SELECT country, COUNT(*) AS n,
                                  AVG(revenue) FILTER (WHERE variant = 'treat') - AVG(revenue) FILTER (WHERE variant = 'control') AS d
                           FROM u GROUP BY country)
                SELECT SUM(n * d) / SUM(n) AS estimate FROM k""");
        assertEquals(rows.rows().get(0).getDouble("estimate"),
                stratified.result().comparison().absolute().estimate(), 1e-9);

        ExperimentData data = MomentsFetcher.fetch(config(), EXP, warehouse);
        List<PostStratification.Stratum> strata = new ArrayList<>();
        for (DimensionData slice : data.dimensions()) {
            strata.add(new PostStratification.Stratum(slice.value(),
                    slice.moments().get(new MetricName("revenue")).get("control"),
                    slice.moments().get(new MetricName("revenue")).get("treat")));
        }
        assertEquals(PostStratification.compare(strata, 0.05), stratified.result());
        double plainSe = result.metrics().get(0).comparisons().get(0).statistics().absolute().stdError();
        assertTrue(stratified.result().comparison().absolute().stdError() < 0.6 * plainSe,
                "country explains most of the variance: " + stratified.result().comparison().absolute().stdError()
                        + " vs " + plainSe);
    }

    /** No new statement or scan: the SQL is the dimension breakdown's, byte for byte. */
    @Test
    void theStatementIsTheDimensionBreakdownsUnchanged() {
        PulseConfig withoutIt = TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                List.of(sum("revenue", "events", "revenue", null)),
                List.of(experiment("exp", "exposures", List.of("control", "treat"), "2026-03-01", "2026-03-05", "revenue")
                        .withDimensions(new Dimensions(List.of("country"), 10))));
        assertEquals(MomentsFetcher.sql(withoutIt, EXP), MomentsFetcher.sql(config(), EXP));
    }

    @Test
    void everyOutputShowsIt() throws Exception {
        ExperimentResult result = Analyzer.analyze(config(), EXP, warehouse);
        JsonNode json = new ObjectMapper().readTree(JsonOutput.experiments(List.of(result)));
        JsonNode node = json.get("experiments").get(0).get("post_stratified").get(0);
        assertEquals("revenue", node.get("metric").asText());
        assertEquals("country", node.get("dimension").asText());
        assertEquals(3, node.get("strata").asInt());
        assertEquals(result.postStratified().get(0).result().comparison().relative().lower(),
                node.get("relative").get("ci_lower").asDouble(), 0.0);
        assertTrue(ConsoleTable.experiments(List.of(result)).contains("revenue / treat: post-stratified on country (3 strata)"));
        assertTrue(CsvOutput.experiments(List.of(result)).contains(",country," + CsvOutput.POST_STRATIFIED + ","));
    }
}
