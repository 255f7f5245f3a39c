package dev.pulse.analysis;

import dev.pulse.model.Correction;
import dev.pulse.model.Experiment;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.EffectHeterogeneity;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.MultipleComparisons;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Heterogeneous effects (docs/dimensions.md#heterogeneous-effects): for each dimension, moment metric and treatment,
 * each value's effect against the effect among every other unit of the experiment, with the dimension's correction
 * across its values. The rest's moments are the other values' merged ({@link GroupMoments#merge}): the values of a
 * dimension, {@code (other)} included, partition the experiment's units, so no statement is added. Percentile and
 * funnel metrics are not tested: their statements return no moments a rest could be merged from.
 */
final class Heterogeneity {
    private Heterogeneity() {}

    /** {@code values} (in the order of {@code data}) with their heterogeneity tests. */
    static List<ExperimentResult.DimensionResult> apply(PulseConfig config, Experiment experiment,
            MetricComparisons.Settings settings, List<String> groups, List<DimensionData> data,
            List<ExperimentResult.DimensionResult> values, Map<MetricName, MetricEvidence> evidence) {
        Correction correction = experiment.dimensions().heterogeneityCorrection();
        List<List<ExperimentResult.Heterogeneity>> tests = new ArrayList<>();
        values.forEach(value -> tests.add(new ArrayList<>()));
        for (String dimension : experiment.dimensions().columns()) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                if (data.get(i).dimension().equals(dimension)) {
                    members.add(i);
                }
            }
            for (MetricName metric : experiment.metrics()) {
                if (!(evidence.get(metric) instanceof MetricEvidence.Moments)) {
                    continue;
                }
                MetricComparisons.MetricSpec spec = MetricComparisons.MetricSpec.of(config.metric(metric));
                for (String treatment : groups) {
                    if (treatment.equals(settings.control())) {
                        continue;
                    }
                    family(settings, spec, metric, treatment, correction, data, values, members, tests);
                }
            }
        }
        List<ExperimentResult.DimensionResult> results = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            results.add(values.get(i).withHeterogeneity(tests.get(i)));
        }
        return results;
    }

    // one family: the values of one dimension for one metric and treatment, each against the rest, then corrected
    private static void family(MetricComparisons.Settings settings, MetricComparisons.MetricSpec spec, MetricName metric,
            String treatment, Correction correction, List<DimensionData> data,
            List<ExperimentResult.DimensionResult> values, List<Integer> members,
            List<List<ExperimentResult.Heterogeneity>> tests) {
        if (members.size() < 2) {
            return; // one value is the whole experiment: there is no rest
        }
        boolean cuped = settings.options().cuped().isPresent();
        List<Comparison> rests = new ArrayList<>();
        List<EffectHeterogeneity.Result> results = new ArrayList<>();
        List<Double> pValues = new ArrayList<>();
        for (int index : members) {
            Comparison value = decision(values.get(index), spec.name(), treatment);
            Comparison rest = rest(metric, data, members, index)
                    .at(settings, spec, treatment, cuped, settings.alpha());
            EffectHeterogeneity.Result result = EffectHeterogeneity.compare(value.absolute(), value.degreesOfFreedom(),
                    rest.absolute(), rest.degreesOfFreedom(), settings.alpha());
            rests.add(rest);
            results.add(result);
            pValues.add(result.pValue());
        }
        MultipleComparisons.Result corrected = MultipleComparisons.adjust(pValues, settings.alpha(),
                Corrections.method(correction));
        for (int k = 0; k < members.size(); k++) {
            tests.get(members.get(k)).add(new ExperimentResult.Heterogeneity(spec.name(), treatment, rests.get(k),
                    results.get(k), correction.configName(), corrected.familySize(),
                    corrected.adjustedPValues().get(k), corrected.rejected().get(k)));
        }
    }

    private static Comparison decision(ExperimentResult.DimensionResult value, String metric, String treatment) {
        return value.metrics().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow()
                .comparisons().stream().filter(c -> c.group().equals(treatment)).findFirst().orElseThrow()
                .decision();
    }

    // the merged moments (and covariates) of every other value of the dimension, per group
    private static MetricEvidence.Moments rest(MetricName metric, List<DimensionData> data, List<Integer> members,
                                               int excluded) {
        Map<String, GroupMoments> moments = new LinkedHashMap<>();
        Map<String, CovariateMoments> covariates = new LinkedHashMap<>();
        for (int index : members) {
            if (index == excluded) {
                continue;
            }
            DimensionData other = data.get(index);
            other.moments().getOrDefault(metric, Map.of()).forEach((group, m) -> moments.merge(group, m, GroupMoments::merge));
            other.covariates().getOrDefault(metric, Map.of())
                    .forEach((group, c) -> covariates.merge(group, c, CovariateMoments::merge));
        }
        return new MetricEvidence.Moments(moments, covariates, OptionalLong.empty());
    }
}
