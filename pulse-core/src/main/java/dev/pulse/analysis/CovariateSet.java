package dev.pulse.analysis;

import dev.pulse.stats.JointMoments;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric's covariates under CUPED with several ({@code cuped: {covariates: …}}, docs/regression-adjustment.md):
 * the metrics whose pre-period values they are, its own first, and per group the joint moments of the metric
 * (variable 0) and those pre-period values (variables 1 … K, in the order of {@code names}).
 */
public record CovariateSet(List<String> names, Map<String, JointMoments> groups) {
    public CovariateSet {
        names = List.copyOf(names);
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }
}
