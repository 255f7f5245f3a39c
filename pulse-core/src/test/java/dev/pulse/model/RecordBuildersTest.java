package dev.pulse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.MetricResult;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The builders and with-methods of the large records: defaults where a part is left out, a copy through
 * toBuilder() equal to the original, each with-method changing its own part only, and the record's own
 * checks still applied.
 */
class RecordBuildersTest {
    private static final LocalDate START = LocalDate.of(2026, 3, 1);
    private static final LocalDate END = LocalDate.of(2026, 3, 28);

    private static Experiment.Builder minimal() {
        return Experiment.builder().name(new ExperimentName("exp")).assignment(new SourceName("exposures"))
                .unit(new IdType("org_id")).control("control").start(START).alpha(0.05)
                .metrics(List.of(new MetricName("revenue")));
    }

    @Test
    void anExperimentLeftOutPartsTakeTheirDefaults() {
        Experiment experiment = minimal().build();
        assertEquals(List.of(), experiment.groups());
        assertEquals(Optional.empty(), experiment.end());
        assertEquals(AnalysisOptions.DEFAULT, experiment.options());
        assertEquals(Dimensions.NONE, experiment.dimensions());
        assertEquals(false, experiment.timeseries());
        assertEquals(Optional.empty(), experiment.idMapping());
        assertEquals(Optional.empty(), experiment.trigger());
    }

    @Test
    void anExperimentCopiedThroughItsBuilderIsEqualAndWithMethodsChangeOnePart() {
        Experiment full = minimal().groups(List.of(new Group("control", 0.5), new Group("treat", 0.5))).end(END)
                .options(AnalysisOptions.DEFAULT.withCuped(new Cuped(14))).dimensions(new Dimensions(List.of("country"), 5))
                .timeseries(true).idMapping(Optional.of(new IdMapping(new SourceName("identify"), new IdType("user_id"))))
                .trigger(Optional.of(new Trigger(new SourceName("page_views"), Optional.of("page = 'checkout'"))))
                .build();
        assertEquals(full, full.toBuilder().build());
        assertEquals(Optional.empty(), full.toBuilder().trigger(Optional.empty()).build().trigger());
        assertEquals(full.toBuilder().timeseries(false).build(), full.withTimeseries(false));
        assertEquals(full.toBuilder().dimensions(Dimensions.NONE).build(), full.withDimensions(Dimensions.NONE));
        assertEquals(full.toBuilder().options(AnalysisOptions.DEFAULT).build(), full.withOptions(AnalysisOptions.DEFAULT));
        assertEquals(full.toBuilder().idMapping(Optional.empty()).build(), full.withIdMapping(Optional.empty()));
        assertEquals(0.01, full.toBuilder().alpha(0.01).build().alpha());
    }

    @Test
    void anExperimentsBuilderKeepsTheRecordsChecks() {
        assertThrows(IllegalArgumentException.class, () -> minimal().alpha(Double.NaN).build(), "alpha left out");
        assertThrows(IllegalArgumentException.class, () -> Experiment.builder().name(new ExperimentName("exp"))
                .assignment(new SourceName("exposures")).unit(new IdType("org_id")).control("control").start(START)
                .metrics(List.of(new MetricName("revenue"))).build(), "alpha never set");
        assertThrows(NullPointerException.class, () -> minimal().name(null).build());
        assertThrows(IllegalArgumentException.class, () -> minimal().timeseries(true).build(), "daily results need an end");
        assertThrows(IllegalArgumentException.class, () -> minimal().metrics(List.of()).build());
    }

    @Test
    void resultsCopiedThroughTheirBuilderAreEqualAndWithMetricsChangesOnlyTheMetrics() {
        ExperimentResult result = ExperimentResult.builder().experiment("exp").unit("org_id").engine("duckdb").start(START)
                .end(Optional.of(END)).alpha(0.05).groups(List.of(new ExperimentResult.GroupCount("control", 10, 0.5)))
                .excludedMultipleGroups(2).excludedUnknownGroup(3).warnings(List.of("a warning")).sql("SELECT 1").build();
        assertEquals(result, result.toBuilder().build());
        assertEquals(List.of(), result.metrics());
        assertEquals(List.of(), result.dimensions());
        assertEquals(Optional.empty(), result.srm());
        assertEquals(Optional.empty(), result.idResolution());

        List<MetricResult> metrics = List.of(new MetricResult("revenue", "sum", List.of()));
        ExperimentResult withMetrics = result.withMetrics(metrics);
        assertEquals(metrics, withMetrics.metrics());
        assertEquals(result, withMetrics.withMetrics(List.of()));
    }

    @Test
    void warehouseFactoriesAndWithMethods() {
        Path file = Path.of("/data/pulse.duckdb");
        TableName results = new TableName(List.of("reporting", "pulse_results"));
        assertEquals(new WarehouseConfig(Engine.DUCKDB, Optional.of(file), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()), WarehouseConfig.duckDb(file));
        assertEquals(new WarehouseConfig(Engine.DUCKDB, Optional.of(file), Optional.of(results), Optional.of("audit"),
                Optional.empty(), Optional.empty(), Optional.empty()), WarehouseConfig.duckDb(file).withResultsTable(results).withStagingSchema("audit"));

        ServerConnection server = new ServerConnection("jdbc:postgresql://127.0.0.1:5432/analytics", Optional.empty(),
                Optional.empty());
        WarehouseConfig postgres = WarehouseConfig.postgres(server).withStagingSchema("audit");
        assertEquals(Optional.of(server), postgres.server());
        assertEquals(List.of("audit", "pulse_staging_exp"), postgres.stagingTable(new ExperimentName("exp")).parts());
        assertEquals(Optional.of(SparkSettings.FROM_SUBMIT),
                WarehouseConfig.spark(SparkSettings.FROM_SUBMIT).withResultsTable(results).spark());
        assertThrows(IllegalArgumentException.class, () -> WarehouseConfig.inMemoryDuckDb().withStagingSchema(" "));
    }

    @Test
    void eachOptionsWithMethodSetsItsOwnOption() {
        AnalysisOptions options = AnalysisOptions.DEFAULT.withCorrection(Correction.HOLM)
                .withRelativeInterval(RelativeInterval.FIELLER).withSequential(new Sequential(50))
                .withMethod(InferenceMethod.BAYESIAN).withPrior(new Prior(0, 0.3)).withCuped(new Cuped(7));
        assertEquals(new AnalysisOptions(Optional.of(new Cuped(7)), Correction.HOLM, RelativeInterval.FIELLER,
                Optional.of(new Sequential(50)), InferenceMethod.BAYESIAN, Optional.of(new Prior(0, 0.3))), options);
        assertThrows(IllegalArgumentException.class, () -> options.withMethod(InferenceMethod.FREQUENTIST),
                "a prior needs the bayesian method");
    }
}
