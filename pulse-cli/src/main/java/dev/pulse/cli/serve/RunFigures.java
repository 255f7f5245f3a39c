package dev.pulse.cli.serve;

import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.ResultsTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The key figures of one run of one experiment, as the run history and its comparison show them. Built from the
 * rows of the results table ({@link ResultsTable.Row}) whether they were read back from the warehouse or made from
 * this app's own results ({@link ResultsTable#rows}), so that both show exactly the figures the table holds.
 *
 * @param srmPValue  the sample-ratio test's p-value; empty when the run had none (or it is undefined)
 * @param srmPassed  whether the sample-ratio test passed; empty when the run had none
 * @param units      the counted units of each group, in the table's order
 * @param metrics    each metric's comparison of each treatment group with the control, in the table's order
 */
record RunFigures(Optional<Double> srmPValue, Optional<Boolean> srmPassed, Map<String, Long> units,
                  List<MetricFigures> metrics) {

    RunFigures {
        Objects.requireNonNull(srmPValue);
        Objects.requireNonNull(srmPassed);
        units = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(units));
        metrics = List.copyOf(metrics);
    }

    /**
     * One metric's comparison of a treatment group with the control, on the figures decisions are made on: the
     * CUPED-adjusted comparison where the metric has CUPED, else the plain one ({@code decision} in the code, the
     * {@code cuped} object of the JSON when present); {@code significant} is the decision after a
     * multiple-comparison correction ({@code decision_significant} in the table, {@code significant} in the JSON's
     * decision summary). A figure is null where it is undefined.
     *
     * @param lift  the relative lift (treatment mean / control mean − 1)
     * @param lower the lower end of its interval (null where open)
     * @param upper the upper end of its interval (null where open)
     */
    record MetricFigures(String metric, String group, String control, Long controlUnits, Long treatmentUnits,
                         Double lift, Double lower, Double upper, Double pValue, Boolean significant,
                         boolean cupedAdjusted) {
        MetricFigures {
            Objects.requireNonNull(metric);
            Objects.requireNonNull(group);
            Objects.requireNonNull(control);
        }

        /** The key of this comparison: its metric and treatment group. */
        String key() {
            return metric + "\u0000" + group;
        }
    }

    /** The figures of {@code result}, through the rows the results table would get. */
    static RunFigures of(ExperimentResult result) {
        return fromRows(ResultsTable.rows(result));
    }

    /** The figures of one run's rows of one experiment (metric, group, statistic, value; experiment ignored). */
    static RunFigures fromRows(List<ResultsTable.Row> rows) {
        Map<String, Double> experiment = new HashMap<>();
        Map<String, Long> units = new LinkedHashMap<>();
        // metric → group → statistic → value, in the order the rows come
        Map<String, Map<String, Map<String, Double>>> byMetric = new LinkedHashMap<>();
        for (ResultsTable.Row row : rows) {
            if (row.metric() == null && row.group() == null) {
                experiment.put(row.statistic(), row.value());
            } else if (row.metric() == null) {
                if (row.statistic().equals("units") && row.value() != null) {
                    units.put(row.group(), Math.round(row.value()));
                }
            } else if (row.group() != null) {
                byMetric.computeIfAbsent(row.metric(), metric -> new LinkedHashMap<>())
                        .computeIfAbsent(row.group(), group -> new HashMap<>()).put(row.statistic(), row.value());
            }
        }
        List<MetricFigures> metrics = new ArrayList<>();
        byMetric.forEach((metric, groups) -> {
            // the control is the group without comparison figures; the treatments have a p-value row
            Optional<String> control = groups.entrySet().stream()
                    .filter(group -> !group.getValue().containsKey("p_value")).map(Map.Entry::getKey).findFirst();
            if (control.isEmpty()) {
                return;
            }
            Map<String, Double> controlFigures = groups.get(control.get());
            groups.forEach((group, figures) -> {
                if (group.equals(control.get())) {
                    return;
                }
                boolean cuped = figures.containsKey("cuped_p_value");
                String prefix = cuped ? "cuped_" : "";
                metrics.add(new MetricFigures(metric, group, control.get(), count(controlFigures.get("units")),
                        count(figures.get("units")), figures.get(prefix + "relative_estimate"),
                        figures.get(prefix + "relative_ci_lower"), figures.get(prefix + "relative_ci_upper"),
                        figures.get(prefix + "p_value"), flag(figures.get("decision_significant")), cuped));
            });
        });
        return new RunFigures(Optional.ofNullable(experiment.get("srm_p_value")),
                Optional.ofNullable(flag(experiment.get("srm_passed"))), units, metrics);
    }

    /** This run's comparison of {@code key} ({@link MetricFigures#key}), if it has one. */
    Optional<MetricFigures> metric(String key) {
        return metrics.stream().filter(figures -> figures.key().equals(key)).findFirst();
    }

    private static Long count(Double value) {
        return value == null ? null : Math.round(value);
    }

    private static Boolean flag(Double value) {
        return value == null ? null : value != 0.0;
    }
}
