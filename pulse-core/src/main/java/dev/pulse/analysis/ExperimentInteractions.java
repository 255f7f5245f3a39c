package dev.pulse.analysis;

import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.InteractionScan;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interactions;
import dev.pulse.stats.Interval;
import dev.pulse.stats.MultipleComparisons;
import dev.pulse.stats.SampleRatioMismatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An experiment against each experiment of its {@code interactions} (docs/interactions.md), from the moments its
 * statement broke down by the other's groups ({@link InteractionScan}): whether the assignments are independent, and
 * whether each moment metric's treatment effect is the same within every group of the other.
 */
final class ExperimentInteractions {
    private ExperimentInteractions() {}

    /** Whether {@code slice} is a breakdown by another experiment's groups rather than by a dimension. */
    static boolean isInteraction(Experiment experiment, DimensionData slice) {
        return experiment.interactions().stream()
                .anyMatch(other -> slice.dimension().equals(InteractionScan.LABEL_PREFIX + other.value()));
    }

    static List<ExperimentResult.Interaction> analyze(PulseConfig config, Experiment experiment,
            MetricComparisons.Settings settings, List<String> groups, List<DimensionData> data,
            Map<MetricName, MetricEvidence> evidence) {
        List<ExperimentResult.Interaction> results = new ArrayList<>();
        for (ExperimentName other : experiment.interactions()) {
            String label = InteractionScan.LABEL_PREFIX + other.value();
            List<DimensionData> slices = data.stream().filter(slice -> slice.dimension().equals(label))
                    .sorted((a, b) -> Boolean.compare(a.value().equals(InteractionScan.NOT_IN_EXPERIMENT),
                            b.value().equals(InteractionScan.NOT_IN_EXPERIMENT)) != 0
                            ? Boolean.compare(a.value().equals(InteractionScan.NOT_IN_EXPERIMENT),
                                    b.value().equals(InteractionScan.NOT_IN_EXPERIMENT))
                            : DimensionData.compareCodePoints(a.value(), b.value()))
                    .toList();
            List<DimensionData> inBoth = slices.stream()
                    .filter(slice -> !slice.value().equals(InteractionScan.NOT_IN_EXPERIMENT)).toList();
            Map<String, Map<String, Long>> units = new LinkedHashMap<>();
            long[][] table = new long[groups.size()][inBoth.size()];
            for (int g = 0; g < groups.size(); g++) {
                Map<String, Long> row = new LinkedHashMap<>();
                for (DimensionData slice : slices) {
                    row.put(slice.value(), slice.units().getOrDefault(groups.get(g), 0L));
                }
                units.put(groups.get(g), row);
                for (int v = 0; v < inBoth.size(); v++) {
                    table[g][v] = inBoth.get(v).units().getOrDefault(groups.get(g), 0L);
                }
            }
            Optional<Interactions.ChiSquare> assignments = Optional.ofNullable(Interactions.independence(table));
            boolean dependent = assignments.map(test -> test.pValue() < SampleRatioMismatch.THRESHOLD).orElse(false);
            results.add(new ExperimentResult.Interaction(other.value(), units, assignments, dependent,
                    effects(config, experiment, settings, groups, inBoth, evidence)));
        }
        return results;
    }

    // per moment metric and treatment: the effect in each of the other's groups, Cochran's Q, then the correction
    private static List<ExperimentResult.InteractionEffect> effects(PulseConfig config, Experiment experiment,
            MetricComparisons.Settings settings, List<String> groups, List<DimensionData> inBoth,
            Map<MetricName, MetricEvidence> evidence) {
        boolean cuped = settings.options().cuped().isPresent();
        List<ExperimentResult.InteractionEffect> effects = new ArrayList<>();
        List<Double> pValues = new ArrayList<>();
        for (MetricName metric : experiment.metrics()) {
            if (!(evidence.get(metric) instanceof MetricEvidence.Moments)) {
                continue; // percentile and funnel metrics: no moments by the other's groups
            }
            MetricComparisons.MetricSpec spec = MetricComparisons.MetricSpec.of(config.metric(metric));
            for (String treatment : groups) {
                if (treatment.equals(settings.control())) {
                    continue;
                }
                Map<String, Comparison> byGroup = new LinkedHashMap<>();
                List<Interval> absolute = new ArrayList<>();
                for (DimensionData slice : inBoth) {
                    Comparison comparison = new MetricEvidence.Moments(slice.moments().getOrDefault(metric, Map.of()),
                            slice.covariates().getOrDefault(metric, Map.of()), OptionalLong.empty())
                            .at(settings, spec, treatment, cuped, settings.alpha());
                    byGroup.put(slice.value(), comparison);
                    absolute.add(comparison.absolute());
                }
                List<String> warnings = new ArrayList<>();
                Optional<Interactions.ChiSquare> test = Optional.ofNullable(Interactions.homogeneity(absolute, warnings));
                pValues.add(test.map(Interactions.ChiSquare::pValue).orElse(null));
                effects.add(new ExperimentResult.InteractionEffect(spec.name(), treatment, byGroup, test, "", 0, null,
                        false, warnings));
            }
        }
        if (effects.isEmpty()) {
            return effects;
        }
        dev.pulse.model.Correction correction = experiment.dimensions().heterogeneityCorrection();
        MultipleComparisons.Result corrected = MultipleComparisons.adjust(pValues, settings.alpha(),
                Corrections.method(correction));
        List<ExperimentResult.InteractionEffect> results = new ArrayList<>();
        for (int i = 0; i < effects.size(); i++) {
            ExperimentResult.InteractionEffect effect = effects.get(i);
            results.add(new ExperimentResult.InteractionEffect(effect.metric(), effect.group(), effect.byGroup(),
                    effect.test(), correction.configName(), corrected.familySize(), corrected.adjustedPValues().get(i),
                    corrected.rejected().get(i), effect.warnings()));
        }
        return results;
    }
}
