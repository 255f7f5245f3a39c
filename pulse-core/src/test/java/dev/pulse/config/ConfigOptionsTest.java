package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.BiasCheck;
import dev.pulse.model.Correction;
import dev.pulse.model.Cuped;
import dev.pulse.model.Dimensions;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.InferenceMethod;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.MetricWindow;
import dev.pulse.model.PlannedLooks;
import dev.pulse.model.Prior;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.RelativeInterval;
import dev.pulse.model.Sequential;
import dev.pulse.model.SourceName;
import dev.pulse.model.UnitAggregate;
import dev.pulse.model.Winsorization;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The analysis options of experiments and metrics load into the model, with their defaults. */
class ConfigOptionsTest {
    private static final Path FOLDER = Path.of("src/test/resources/config");
    private static final Path OPTIONS = FOLDER.resolve("options.yaml");

    private final PulseConfig config = ConfigLoader.load(OPTIONS);

    @Test
    void noProblems() {
        assertEquals(List.of(), ConfigLoader.problems(OPTIONS));
    }

    @Test
    void everyExperimentOption() {
        assertEquals(new AnalysisOptions(
                        Optional.of(new Cuped(14)),
                        Correction.BENJAMINI_HOCHBERG,
                        RelativeInterval.FIELLER,
                        Optional.of(new Sequential(100, OptionalDouble.of(0.05))),
                        InferenceMethod.BAYESIAN,
                        Optional.of(new Prior(0.01, 0.3))),
                experiment("everything").options());
    }

    @Test
    void priorMeanDefaultsToZeroAndTauToTheStatisticsDefault() {
        assertEquals(new AnalysisOptions(
                        Optional.empty(),
                        Correction.HOLM,
                        RelativeInterval.DELTA,
                        Optional.of(new Sequential(50)),
                        InferenceMethod.BAYESIAN,
                        Optional.of(new Prior(0, 0.2))),
                experiment("bayesian_defaults").options());
    }

    /** With CUPED the bias check takes its lookback and GrowthBook's 0.001; alone it needs its own lookback. */
    @Test
    void biasCheckWithCupedsLookbackOrItsOwn() {
        AnalysisOptions withCuped = experiment("bias_with_cuped").options();
        assertEquals(Optional.of(new BiasCheck(14, 0.001)), withCuped.biasCheck());
        assertEquals(Optional.of(new Cuped(14)), withCuped.prePeriod());
        AnalysisOptions alone = experiment("bias_alone").options();
        assertEquals(Optional.of(new BiasCheck(7, 0.01)), alone.biasCheck());
        assertEquals(Optional.empty(), alone.cuped());
        assertEquals(Optional.of(new Cuped(7)), alone.prePeriod(), "the pre-period is asked for without adjusting");
    }

    /** {@code covariates}: a list of the experiment's metrics, or {@code all} (docs/regression-adjustment.md). */
    @Test
    void cupedCovariatesListedOrAll() {
        assertEquals(Optional.of(new Cuped(14, List.of(new dev.pulse.model.MetricName("events"),
                new dev.pulse.model.MetricName("latency")), false)), experiment("listed_covariates").options().cuped());
        assertEquals(Optional.of(new Cuped(7, List.of(), true)), experiment("all_covariates").options().cuped());
        assertEquals(Optional.of(new Cuped(14)), experiment("everything").options().cuped());
        assertEquals(Optional.of(new Cuped(7, List.of(), false, List.of("country"))),
                experiment("attribute_covariates").options().cuped());
    }

    /**
     * Roles (docs/report.md#decision-summary): the experiment's {@code roles} over each metric's own {@code role}; a
     * metric with neither is secondary when some metric is primary, else primary.
     */
    @Test
    void rolesFromTheExperimentOverTheMetricsOwn() {
        java.util.function.Function<String, dev.pulse.model.MetricRole> everything = name ->
                experiment("everything").role(new dev.pulse.model.MetricName(name));
        assertEquals(dev.pulse.model.MetricRole.PRIMARY, everything.apply("revenue"));
        assertEquals(dev.pulse.model.MetricRole.PRIMARY, everything.apply("latency"));
        assertEquals(dev.pulse.model.MetricRole.GUARDRAIL, everything.apply("events"));
        java.util.function.Function<String, dev.pulse.model.MetricRole> given = name ->
                experiment("roles_given").role(new dev.pulse.model.MetricName(name));
        assertEquals(dev.pulse.model.MetricRole.PRIMARY, given.apply("revenue"));
        assertEquals(dev.pulse.model.MetricRole.GUARDRAIL, given.apply("latency"));
        assertEquals(dev.pulse.model.MetricRole.SECONDARY, given.apply("revenue_per_event"));
        assertEquals(dev.pulse.model.MetricRole.GUARDRAIL, given.apply("events"));
    }

    @Test
    void postStratifyOnOneOfTheDimensions() {
        assertEquals(new Dimensions(List.of("country", "platform"), Dimensions.DEFAULT_TOP_VALUES, Optional.of("country")),
                experiment("post_stratified").dimensions());
    }

    @Test
    void sequentialMethodGrowthBookWithItsTuning() {
        assertEquals(Optional.of(Sequential.growthBook(100, OptionalDouble.of(2500))),
                experiment("growthbook").options().sequential());
        assertEquals(Optional.of(Sequential.growthBook(20, OptionalDouble.empty())),
                experiment("growthbook_default").options().sequential());
        assertEquals(Optional.of(new Sequential(100, OptionalDouble.of(0.1))),
                experiment("msprt_named").options().sequential());
    }

    @Test
    void plannedLooksAsAListOrAMap() {
        assertEquals(Optional.of(new PlannedLooks(List.of(LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-15"),
                        LocalDate.parse("2026-03-29")), PlannedLooks.Spending.OBRIEN_FLEMING)),
                experiment("planned_looks_list").options().plannedLooks());
        assertEquals(Optional.of(new PlannedLooks(List.of(LocalDate.parse("2026-03-01")), PlannedLooks.Spending.POCOCK)),
                experiment("planned_looks_map").options().plannedLooks());
        assertEquals(Optional.empty(), experiment("plain").options().plannedLooks());
    }

    @Test
    void defaultsWrittenOutOrOmittedAreTheDefaults() {
        assertEquals(AnalysisOptions.DEFAULT, experiment("plain").options());
        PulseConfig valid = ConfigLoader.load(FOLDER.resolve("valid.yaml"));
        valid.experiments().values().forEach(e -> assertEquals(AnalysisOptions.DEFAULT, e.options(), e.name().value()));
        valid.metrics().values().forEach(m -> assertEquals(MetricOptions.DEFAULT, m.options(), m.name().value()));
    }

    @Test
    void metricOptionsOnEveryMetricType() {
        assertEquals(new MetricOptions(Direction.INCREASE, Optional.of(Winsorization.between(0.01, 0.99))),
                metric("revenue").options());
        assertEquals(new MetricOptions(Direction.DECREASE,
                        Optional.of(new Winsorization(OptionalDouble.empty(), OptionalDouble.of(0.999)))),
                metric("latency").options());
        assertEquals(new MetricOptions(Direction.TWO_SIDED,
                        Optional.of(new Winsorization(OptionalDouble.of(0.05), OptionalDouble.empty()))),
                metric("revenue_per_event").options());
        assertEquals(new MetricOptions(Direction.TWO_SIDED, Optional.empty(), Optional.empty(),
                Optional.of(dev.pulse.model.MetricRole.GUARDRAIL)), metric("events").options());
    }

    @Test
    void metricWindowsWithStartDaysDefaultingToZero() {
        Path file = FOLDER.resolve("windows.yaml");
        assertEquals(List.of(), ConfigLoader.problems(file));
        PulseConfig windows = ConfigLoader.load(file);
        assertEquals(Optional.of(new MetricWindow(0, 7)),
                windows.metric(new MetricName("revenue_first_week")).options().window());
        assertEquals(Optional.of(new MetricWindow(7, 14)),
                windows.metric(new MetricName("returning_orgs")).options().window());
        assertEquals(new MetricOptions(Direction.TWO_SIDED,
                        Optional.of(new Winsorization(OptionalDouble.empty(), OptionalDouble.of(0.99))),
                        Optional.of(new MetricWindow(0, 1))),
                windows.metric(new MetricName("revenue_per_event_d1")).options());
        assertEquals(true, windows.experiment(new ExperimentName("daily")).timeseries());
        assertEquals(false, windows.experiment(new ExperimentName("pricing")).timeseries());
    }

    @Test
    void dimensionsWithTheirNumberOfValuesDefaultingToTen() {
        Path file = FOLDER.resolve("dimensions.yaml");
        assertEquals(List.of(), ConfigLoader.problems(file));
        PulseConfig dimensions = ConfigLoader.load(file);
        assertEquals(new Dimensions(List.of("country", "platform"), 3),
                dimensions.experiment(new ExperimentName("by_country")).dimensions());
        assertEquals(new Dimensions(List.of("country"), 10),
                dimensions.experiment(new ExperimentName("default_values")).dimensions());
        assertEquals(Dimensions.NONE, dimensions.experiment(new ExperimentName("none")).dimensions());
    }

    @Test
    void percentileMetrics() {
        Path file = FOLDER.resolve("percentile.yaml");
        assertEquals(List.of(), ConfigLoader.problems(file));
        PulseConfig percentiles = ConfigLoader.load(file);
        assertEquals(new Metric.Percentile(new MetricName("p90_latency"), new SourceName("page_loads"), "latency_ms", 0.9,
                        Optional.empty(), new MetricOptions(Direction.DECREASE, Optional.empty())),
                percentiles.metric(new MetricName("p90_latency")));
        Metric median = percentiles.metric(new MetricName("median_checkout_latency"));
        assertEquals(new Metric.Percentile(new MetricName("median_checkout_latency"), new SourceName("page_loads"),
                "latency_ms", 0.5, Optional.of("page = 'checkout'")), median);
        // numerator and denominator both name the rows read: COUNT_VALUES of the value under the filter
        UnitAggregate records = new UnitAggregate(new SourceName("page_loads"), AggregateFunction.COUNT_VALUES,
                Optional.of("latency_ms"), Optional.of("page = 'checkout'"));
        assertEquals(records, median.numerator());
        assertEquals(Optional.of(records), median.denominator());
        assertEquals("percentile", median.type().configName());
    }

    private Experiment experiment(String name) {
        return config.experiment(new ExperimentName(name));
    }

    private Metric metric(String name) {
        return config.metric(new MetricName(name));
    }
}
