package dev.pulse.analysis;

import dev.pulse.model.BiasCheck;
import dev.pulse.model.MetricName;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.CovariateMoments;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.PreExperimentBias;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The pre-experiment bias check of one experiment (docs/cuped-sequential-bayesian.md §4): per metric with a
 * pre-period value and per treatment, the pre-period comparison with the control and whether it is flagged
 * after the Bonferroni correction over the whole family.
 *
 * @param lookbackDays the pre-period's length: {@code [first exposure − lookbackDays, first exposure)}; empty in
 *                     {@code pulse stats}, whose input gives the pre-period sums without saying how they were taken
 * @param threshold    the family-wise level; flagged when the Bonferroni-adjusted p-value is below it
 * @param familySize   the tests with a p-value (metrics × treatments)
 * @param entries      in the order of the experiment's metrics, then of the treatments; percentile and funnel
 *                     metrics have no pre-period value and no entry
 */
public record BiasCheckResult(java.util.OptionalInt lookbackDays, double threshold, int familySize, List<Entry> entries) {

    /** The correction applied over the family (GrowthBook's). */
    public static final String CORRECTION = "bonferroni";

    public BiasCheckResult {
        Objects.requireNonNull(lookbackDays);
        entries = List.copyOf(entries);
    }

    /**
     * One treatment's pre-period against the control's, for one metric.
     *
     * @param comparison     the plain comparison of the pre-period values (two-sided, at the per-test level
     *                       {@code threshold / familySize}); its means are the groups' pre-period values
     * @param adjustedPValue {@code min(1, familySize·p)}, or null when the p-value is undefined
     * @param flagged        {@code adjustedPValue < threshold}
     * @param cupedCorrects  whether the metric is analysed with CUPED on this pre-period with a non-zero θ, which
     *                       removes the imbalance the pre-period value explains, in expectation
     */
    public record Entry(String metric, String group, String control, Comparison comparison, Double adjustedPValue,
                        boolean flagged, boolean cupedCorrects) {
        public Entry {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(group);
            Objects.requireNonNull(control);
            Objects.requireNonNull(comparison);
        }
    }

    /** The entry of {@code metric} and treatment {@code group}, if it has one. */
    public Optional<Entry> entry(String metric, String group) {
        return entries.stream().filter(e -> e.metric().equals(metric) && e.group().equals(group)).findFirst();
    }

    /** The flagged entries, in order. */
    public List<Entry> flagged() {
        return entries.stream().filter(Entry::flagged).toList();
    }

    /**
     * The banner naming the imbalanced metrics, for the console table and the report; empty when nothing is
     * flagged. Says per metric whether CUPED corrects for it or advises turning CUPED on.
     */
    public Optional<String> banner() {
        List<Entry> flagged = flagged();
        if (flagged.isEmpty()) {
            return Optional.empty();
        }
        Set<String> corrected = new LinkedHashSet<>();
        Set<String> uncorrected = new LinkedHashSet<>();
        List<String> named = new ArrayList<>();
        for (Entry entry : flagged) {
            named.add(entry.metric() + " (" + entry.group() + ")");
            (entry.cupedCorrects() ? corrected : uncorrected).add(entry.metric());
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "PRE-EXPERIMENT BIAS: %s differed from %s before exposure (%spre-period, Bonferroni-adjusted"
                        + " p < %s over %d comparisons).", String.join(", ", named), flagged.get(0).control(),
                days(), plain(threshold), familySize));
        if (!corrected.isEmpty()) {
            text.append(" CUPED on the same pre-period corrects for it in expectation: ")
                    .append(String.join(", ", corrected)).append('.');
        }
        if (!uncorrected.isEmpty()) {
            text.append(" Not corrected: ").append(String.join(", ", uncorrected)).append("; turn on cuped")
                    .append(lookbackDays.isPresent() ? ": {lookback_days: " + lookbackDays.getAsInt() + "}" : "")
                    .append(" to adjust for it, or check the assignment.");
        }
        return Optional.of(text.toString());
    }

    /** One line for the console table and the report: the banner when something is flagged, else that it passed. */
    public String summary() {
        return banner().orElseGet(() -> String.format(Locale.ROOT,
                "Pre-experiment bias check passed: no metric's %spre-period value differs between the groups"
                        + " (Bonferroni-adjusted p < %s over %d comparisons).", days(), plain(threshold),
                familySize));
    }

    /** {@code "14-day "}, or nothing when the lookback is unknown. */
    private String days() {
        return lookbackDays.isPresent() ? lookbackDays.getAsInt() + "-day " : "";
    }

    /**
     * The check over every metric with pre-period moments ({@code covariates}: per metric, per group) and every
     * treatment in {@code groups} (the control is {@code control}); {@code cupedCorrects} tells, per metric and
     * treatment, whether its CUPED adjustment used the pre-period.
     */
    static BiasCheckResult of(BiasCheck check, String control, List<String> groups,
                              List<MetricComparisons.MetricSpec> metrics,
                              Map<MetricName, Map<String, CovariateMoments>> covariates,
                              java.util.function.BiPredicate<String, String> cupedCorrects) {
        Map<MetricName, Map<String, GroupMoments>> pre = new java.util.LinkedHashMap<>();
        covariates.forEach((metric, byGroup) -> {
            Map<String, GroupMoments> preByGroup = new java.util.LinkedHashMap<>();
            byGroup.forEach((group, moments) -> preByGroup.put(group, moments.pre()));
            pre.put(metric, preByGroup);
        });
        return of(java.util.OptionalInt.of(check.lookbackDays()), check.threshold(), control, groups, metrics, pre,
                cupedCorrects);
    }

    /**
     * As {@link #of(BiasCheck, String, List, List, Map, java.util.function.BiPredicate)} from the pre-period moments
     * alone ({@code pre}: per metric, per group), for {@code pulse stats}.
     */
    static BiasCheckResult of(java.util.OptionalInt lookbackDays, double threshold, String control, List<String> groups,
                              List<MetricComparisons.MetricSpec> metrics,
                              Map<MetricName, Map<String, GroupMoments>> pre,
                              java.util.function.BiPredicate<String, String> cupedCorrects) {
        List<PreExperimentBias.Input> inputs = new ArrayList<>();
        for (MetricComparisons.MetricSpec metric : metrics) {
            Map<String, GroupMoments> byGroup = pre.get(new MetricName(metric.name()));
            if (byGroup == null || !byGroup.containsKey(control)) {
                continue;
            }
            GroupMoments controlPre = byGroup.get(control);
            for (String group : groups) {
                if (group.equals(control)) {
                    continue;
                }
                // a group the warehouse returned no row for has no units (as MetricComparisons.momentsOf)
                GroupMoments treatedPre = MetricComparisons.momentsOf(metric, byGroup, group);
                inputs.add(new PreExperimentBias.Input(metric.name(), group, controlPre, treatedPre));
            }
        }
        PreExperimentBias.Result result = PreExperimentBias.check(inputs, threshold);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            PreExperimentBias.Finding finding = result.findings().get(i);
            entries.add(new Entry(finding.input().metric(), finding.input().treatment(), control, finding.comparison(),
                    finding.adjustedPValue(), finding.flagged(),
                    cupedCorrects.test(finding.input().metric(), finding.input().treatment())));
        }
        return new BiasCheckResult(lookbackDays, threshold, result.familySize(), entries);
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
