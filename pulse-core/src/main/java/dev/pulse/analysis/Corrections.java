package dev.pulse.analysis;

import dev.pulse.model.Correction;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.MultipleComparisons;

import java.util.ArrayList;
import java.util.List;

/**
 * The experiment's multiple-comparison correction over its whole family: every metric × every
 * treatment. Adjusts the decision comparisons' p-values and recomputes their intervals at the
 * corrected level where the method defines one ({@link MultipleComparisons}).
 */
final class Corrections {
    private Corrections() {}

    /**
     * The metrics' comparisons with their corrected parts; unchanged when the correction is none.
     *
     * @param evidence per metric, in the order of {@code metrics} and {@code results}: what its widened
     *                 intervals are recomputed from
     */
    static List<MetricResult> apply(MetricComparisons.Settings experiment, List<MetricComparisons.MetricSpec> metrics,
            List<MetricResult> results, List<MetricEvidence> evidence) {
        Correction correction = experiment.options().correction();
        if (correction == Correction.NONE) {
            return results;
        }
        List<Double> pValues = new ArrayList<>();
        for (MetricResult result : results) {
            result.comparisons().forEach(c -> pValues.add(c.decision().pValue()));
        }
        MultipleComparisons.Result family = MultipleComparisons.adjust(pValues, experiment.alpha(), method(correction));

        List<MetricResult> corrected = new ArrayList<>();
        int index = 0;
        for (int m = 0; m < results.size(); m++) {
            MetricResult result = results.get(m);
            MetricComparisons.MetricSpec metric = metrics.get(m);
            List<MetricResult.GroupComparison> comparisons = new ArrayList<>();
            for (MetricResult.GroupComparison comparison : result.comparisons()) {
                double intervalAlpha = family.intervalAlphas().get(index);
                Comparison widened = evidence.get(m).at(experiment, metric, comparison.group(),
                        comparison.cuped().isPresent(), intervalAlpha);
                comparisons.add(comparison.withCorrected(new MetricResult.CorrectedResult(
                        correction.configName(), family.familySize(), family.adjustedPValues().get(index),
                        family.rejected().get(index), intervalAlpha, widened.absolute(), widened.relative())));
                index++;
            }
            corrected.add(result.withComparisons(comparisons));
        }
        return corrected;
    }

    static MultipleComparisons.Correction method(Correction correction) {
        return switch (correction) {
            case NONE -> MultipleComparisons.Correction.NONE;
            case BONFERRONI -> MultipleComparisons.Correction.BONFERRONI;
            case HOLM -> MultipleComparisons.Correction.HOLM;
            case BENJAMINI_HOCHBERG -> MultipleComparisons.Correction.BENJAMINI_HOCHBERG;
        };
    }
}
