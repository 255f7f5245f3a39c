package dev.pulse.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One metric's results in one experiment: every treatment against the control.
 *
 * @param name  the metric's name in the config
 * @param type  its type's config name ({@code sum}, {@code ratio}, {@code funnel}, …; docs/metric-types.md)
 * @param role  its role in the experiment
 * @param lifts one per treatment group, in the config's order of the groups
 */
public record MetricSummary(String name, String type, Role role, List<Lift> lifts) {

    /**
     * Requires every part and copies the lifts.
     *
     * @param name the metric's name in the config
     * @param type its type's config name ({@code sum}, {@code ratio}, {@code funnel}, …; docs/metric-types.md)
     * @param role its role in the experiment
     * @param lifts one per treatment group, in the config's order of the groups
     */
    public MetricSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
        lifts = List.copyOf(lifts);
    }

    /**
     * The lift of treatment {@code group}.
     *
     * @param group a treatment group's name
     * @return its lift, or empty when {@code group} is not a treatment of this experiment
     */
    public Optional<Lift> lift(String group) {
        return lifts.stream().filter(lift -> lift.group().equals(group)).findFirst();
    }
}
