package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.model.Metric;
import dev.pulse.model.PulseConfig;
import dev.pulse.warehouse.RedshiftOnPostgres;
import dev.pulse.warehouse.TestPostgres;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/redshift.md, "How it was checked": the trap data sets of {@link EngineEquivalenceTest#fixtures()} analysed
 * with the SQL the Redshift dialect renders, run on PostgreSQL (whose session reads string literals as Redshift
 * does), give DuckDB's numbers to 1e-9 relative. Redshift shares PostgreSQL's grammar for everything the dialect
 * renders, so this checks its rewrites numerically: the covariance without COVAR_SAMP, the integer range without
 * generate_series, the dimension value at the first exposure without ARG_MIN or ARRAY_AGG, the literals.
 *
 * <p>An experiment with a first_value or latest_value metric cannot be rendered for Redshift (the dialect refuses
 * it, as config validation does first): there the test checks the refusal instead. Percentile metrics and
 * winsorization are refused by config validation on Redshift but render; their SQL runs here on PostgreSQL, which
 * allows several sort orders in one statement, so their numbers are compared too, but they prove nothing about
 * Redshift, which refuses such statements.
 */
class RedshiftOnPostgresEquivalenceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.pulse.analysis.EngineEquivalenceTest#fixtures")
    void duckDbAndRedshiftSqlOnPostgresAgree(EngineEquivalenceTest.Fixture fixture) throws Exception {
        EngineEquivalenceTest.Prepared prepared = EngineEquivalenceTest.prepare(fixture);
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_redshift")) {
            PulseConfig copied = EngineEquivalenceTest.copyData(prepared.config(), prepared.duckDb(), schema.warehouse());
            PulseConfig redshiftConfig = new PulseConfig(copied.file(), RedshiftOnPostgres.config(), copied.sources(),
                    copied.metrics(), copied.experiments());
            JsonNode duckDb = EngineEquivalenceTest.analyze(prepared.config(), prepared.duckDb());
            JsonNode redshift = EngineEquivalenceTest.analyze(redshiftConfig, new RedshiftOnPostgres(schema.warehouse()));
            int compared = 0;
            Iterator<Map.Entry<String, JsonNode>> experiments = duckDb.fields();
            while (experiments.hasNext()) {
                Map.Entry<String, JsonNode> experiment = experiments.next();
                JsonNode actual = redshift.get(experiment.getKey());
                if (needsValueAtOrder(prepared.config(), experiment.getKey())) {
                    assertTrue(actual.isTextual() && actual.asText().startsWith("SQL_UNSUPPORTED: dialect redshift has no"
                            + " aggregate for the value of a group's first or last row"), experiment.getKey() + ": " + actual);
                    continue;
                }
                EngineEquivalenceTest.assertEquivalent(experiment.getValue(), actual, "$." + experiment.getKey());
                compared++;
            }
            assertTrue(compared > 0 || fixture.test() == ValueParticipationMomentsTest.class,
                    "no experiment compared: " + redshift);
            assertTrue(compared == 0 || redshift.toString().contains("\"engine\":\"redshift\""),
                    "no experiment ran with the Redshift dialect: " + redshift);
        } finally {
            prepared.duckDb().close();
        }
    }

    /** Whether the experiment has a first_value or latest_value metric, which the Redshift dialect refuses. */
    private static boolean needsValueAtOrder(PulseConfig config, String experiment) {
        Set<dev.pulse.model.MetricName> names = Set.copyOf(config.experiment(new dev.pulse.model.ExperimentName(experiment)).metrics());
        return names.stream().map(name -> config.metrics().get(name))
                .anyMatch(metric -> metric instanceof Metric.FirstValue || metric instanceof Metric.LatestValue);
    }
}
