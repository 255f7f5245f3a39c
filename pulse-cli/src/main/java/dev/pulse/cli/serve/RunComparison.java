package dev.pulse.cli.serve;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What changed from one run of an experiment to the next, and by how much: each metric's lift, interval bounds and
 * p-value, whether its decision flipped, the units of each group and the sample-ratio test. Differences are
 * {@code current − previous}; a difference is null where either figure is undefined. Pure.
 *
 * @param metrics each comparison (metric, treatment group) of either run: the current run's first
 * @param units   each group's units in either run
 * @param srmPValue the sample-ratio p-values
 * @param srm     whether the sample-ratio test's verdict flipped
 */
record RunComparison(List<MetricChange> metrics, List<UnitsChange> units, Figure srmPValue, Flip srm) {

    RunComparison {
        metrics = List.copyOf(metrics);
        units = List.copyOf(units);
        Objects.requireNonNull(srmPValue);
        Objects.requireNonNull(srm);
    }

    /** How a yes-or-no verdict moved: significance, or the sample-ratio test passing. */
    enum Flip {
        /** The same in both runs (or unknown in either). */
        SAME,
        /** No before, yes now: became significant, or the SRM test passes again. */
        BECAME_YES,
        /** Yes before, no now: no longer significant, or the SRM test fails now. */
        BECAME_NO;

        static Flip of(Boolean current, Boolean previous) {
            if (current == null || previous == null || current.equals(previous)) {
                return SAME;
            }
            return current ? BECAME_YES : BECAME_NO;
        }
    }

    /** One figure in both runs and its change; any part null where undefined. */
    record Figure(Double current, Double previous) {
        Double change() {
            return current == null || previous == null ? null : current - previous;
        }

        /** True when both are defined and differ, or only one is defined. */
        boolean changed() {
            return !Objects.equals(current, previous);
        }
    }

    /**
     * One comparison of a metric in both runs; {@code current} or {@code previous} is empty when the run did not
     * have it (a metric added to or removed from the config).
     */
    record MetricChange(String metric, String group, Optional<RunFigures.MetricFigures> current,
                        Optional<RunFigures.MetricFigures> previous, Figure lift, Figure lower, Figure upper,
                        Figure pValue, Flip significance, Figure controlUnits, Figure treatmentUnits) {

        /** Whether the decision flipped or the comparison appeared or disappeared: the rows to highlight. */
        boolean highlighted() {
            return significance != Flip.SAME || current.isEmpty() || previous.isEmpty();
        }
    }

    /** One group's units in both runs. */
    record UnitsChange(String group, Figure units) {}

    static RunComparison of(RunFigures current, RunFigures previous) {
        Set<String> keys = new LinkedHashSet<>();
        current.metrics().forEach(figures -> keys.add(figures.key()));
        previous.metrics().forEach(figures -> keys.add(figures.key()));
        List<MetricChange> metrics = new ArrayList<>();
        for (String key : keys) {
            Optional<RunFigures.MetricFigures> now = current.metric(key);
            Optional<RunFigures.MetricFigures> before = previous.metric(key);
            RunFigures.MetricFigures any = now.or(() -> before).orElseThrow();
            metrics.add(new MetricChange(any.metric(), any.group(), now, before,
                    figure(now, before, RunFigures.MetricFigures::lift),
                    figure(now, before, RunFigures.MetricFigures::lower),
                    figure(now, before, RunFigures.MetricFigures::upper),
                    figure(now, before, RunFigures.MetricFigures::pValue),
                    Flip.of(now.map(RunFigures.MetricFigures::significant).orElse(null),
                            before.map(RunFigures.MetricFigures::significant).orElse(null)),
                    figure(now, before, figures -> toDouble(figures.controlUnits())),
                    figure(now, before, figures -> toDouble(figures.treatmentUnits()))));
        }
        Set<String> groups = new LinkedHashSet<>(current.units().keySet());
        groups.addAll(previous.units().keySet());
        List<UnitsChange> units = groups.stream().map(group -> new UnitsChange(group,
                new Figure(toDouble(current.units().get(group)), toDouble(previous.units().get(group))))).toList();
        return new RunComparison(metrics, units,
                new Figure(current.srmPValue().orElse(null), previous.srmPValue().orElse(null)),
                Flip.of(current.srmPassed().orElse(null), previous.srmPassed().orElse(null)));
    }

    private static Figure figure(Optional<RunFigures.MetricFigures> now, Optional<RunFigures.MetricFigures> before,
                                 java.util.function.Function<RunFigures.MetricFigures, Double> value) {
        return new Figure(now.map(value).orElse(null), before.map(value).orElse(null));
    }

    private static Double toDouble(Long value) {
        return value == null ? null : value.doubleValue();
    }
}
