package dev.pulse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The option records check their values; the constructors without options give the defaults. */
class OptionsTest {

    @Test
    void invalidValuesThrow() {
        assertThrows(IllegalArgumentException.class, () -> new Cuped(0));
        assertThrows(IllegalArgumentException.class, () -> new Sequential(0));
        assertThrows(IllegalArgumentException.class, () -> new Sequential(100, OptionalDouble.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new Sequential(100, OptionalDouble.of(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> new Prior(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Prior(Double.NaN, 0.3));
        assertThrows(IllegalArgumentException.class, () -> new Winsorization(OptionalDouble.empty(), OptionalDouble.empty()));
        assertThrows(IllegalArgumentException.class, () -> Winsorization.between(0, 0.99));
        assertThrows(IllegalArgumentException.class, () -> Winsorization.between(0.01, 1));
        assertThrows(IllegalArgumentException.class, () -> Winsorization.between(0.5, 0.5));
    }

    @Test
    void aPriorNeedsTheBayesianMethod() {
        Prior prior = new Prior(0, 0.3);
        assertThrows(IllegalArgumentException.class, () -> AnalysisOptions.DEFAULT.withPrior(prior));
        assertEquals(Optional.of(prior), AnalysisOptions.DEFAULT.withMethod(InferenceMethod.BAYESIAN).withPrior(prior).prior());
    }

    @Test
    void oldConstructorsGiveTheDefaults() {
        MetricName name = new MetricName("revenue");
        SourceName events = new SourceName("events");
        Metric sum = new Metric.Sum(name, events, "revenue", Optional.empty());
        assertEquals(MetricOptions.DEFAULT, sum.options());
        MetricOptions capped = new MetricOptions(Direction.INCREASE, Optional.of(Winsorization.between(0.01, 0.99)));
        assertEquals(new Metric.Sum(name, events, "revenue", Optional.empty(), capped), sum.withOptions(capped));
        Experiment experiment = Experiment.builder().name(new ExperimentName("exp")).assignment(new SourceName("exposures"))
                .unit(new IdType("org_id")).control("control").start(LocalDate.of(2026, 3, 1)).alpha(0.05)
                .metrics(List.of(name)).build();
        assertEquals(AnalysisOptions.DEFAULT, experiment.options());
        AnalysisOptions cuped = AnalysisOptions.DEFAULT.withCuped(new Cuped(14));
        assertEquals(Optional.of(new Cuped(14)), experiment.withOptions(cuped).options().cuped());
        assertEquals("benjamini_hochberg", Correction.BENJAMINI_HOCHBERG.configName());
        assertEquals("two_sided", Direction.TWO_SIDED.configName());
    }
}
