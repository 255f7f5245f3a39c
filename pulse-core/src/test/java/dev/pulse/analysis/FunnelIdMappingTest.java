package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.TestModel;
import dev.pulse.stats.Comparison;
import dev.pulse.warehouse.Warehouse;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A funnel whose step source reaches the unit through the experiment's ID mapping, on the trap data of
 * {@link IdResolutionMomentsTest} (device-randomized, purchases keyed by user). Unordered and without a window,
 * reached_1 is "has a purchase" and reached_2 "has a purchase of at least 15": the same per-unit indicators as two
 * unit_count metrics of the ordinary statement, whose mapping is tested there. So the funnel's overall conversion
 * over every exposed unit equals the second unit_count, and its step conversion is Σbig / Σany.
 */
class FunnelIdMappingTest {

    @Test
    void mappedStepSourceAgreesWithUnitCountsOfTheOrdinaryStatement() throws Exception {
        IdResolutionMomentsTest fixture = new IdResolutionMomentsTest();
        fixture.createData();
        Field field = IdResolutionMomentsTest.class.getDeclaredField("warehouse");
        field.setAccessible(true);
        try (Warehouse warehouse = (Warehouse) field.get(fixture)) {
            ExperimentResult result = Analyzer.analyze(config(), new ExperimentName("exp"), warehouse);
            Comparison any = FunnelFetcherTest.metric(result.metrics(), "any_purchase").comparisons().get(0).statistics();
            Comparison big = FunnelFetcherTest.metric(result.metrics(), "big_purchase").comparisons().get(0).statistics();
            MetricResult funnel = FunnelFetcherTest.metric(result.metrics(), "buying");
            Comparison overall = funnel.comparisons().get(0).statistics();
            assertEquals(big.controlMean(), overall.controlMean(), 1e-12);
            assertEquals(big.treatmentMean(), overall.treatmentMean(), 1e-12);
            assertEquals(big.controlUnits(), overall.controlUnits());
            Comparison step = funnel.steps().get(0).comparisons().get(0).statistics();
            assertTrue(any.treatmentMean() > 0 && any.controlMean() > 0, "the data has buyers in both groups");
            assertEquals(big.controlMean() / any.controlMean(), step.controlMean(), 1e-12);
            assertEquals(big.treatmentMean() / any.treatmentMean(), step.treatmentMean(), 1e-12);
        }
    }

    private static PulseConfig config() {
        PulseConfig base = IdResolutionMomentsTest.config();
        Map<MetricName, Metric> metrics = new LinkedHashMap<>(base.metrics());
        List<Metric> added = List.of(TestModel.unitCount("any_purchase", "purchases", null),
                TestModel.unitCount("big_purchase", "purchases", "revenue >= 15"),
                TestModel.funnel("buying", null, Metric.Funnel.WindowFrom.FIRST_STEP, false,
                        Metric.Funnel.Denominator.EXPOSED, new String[] {"bought", "purchases", null},
                        new String[] {"big", "purchases", "revenue >= 15"}));
        added.forEach(metric -> metrics.put(metric.name(), metric));
        ExperimentName name = new ExperimentName("exp");
        Experiment experiment = base.experiment(name);
        List<MetricName> names = new ArrayList<>(experiment.metrics());
        added.forEach(metric -> names.add(metric.name()));
        Experiment withFunnel = experiment.toBuilder().metrics(names).build();
        return new PulseConfig(base.file(), base.warehouse(), base.sources(), metrics, Map.of(name, withFunnel));
    }
}
