package dev.pulse.model;

import java.util.HashSet;
import java.util.List;

/**
 * CUPED (Deng, Xu, Kohavi &amp; Walker, WSDM 2013): each metric is also computed over a pre-period of
 * each unit, the {@code lookbackDays} days before its own first exposure, and used as a covariate. With
 * {@code covariates} or {@code allMetrics} the pre-period values of other metrics of the experiment are covariates
 * too: regression adjustment with several covariates (Statsig's CURE, Eppo's CUPED++; docs/regression-adjustment.md).
 *
 * @param lookbackDays length of the pre-period in days, at least 1
 * @param covariates   other metrics whose pre-period values are covariates of every moment metric, each once
 * @param allMetrics   every moment metric of the experiment is a covariate (then {@code covariates} is empty)
 */
public record Cuped(int lookbackDays, List<MetricName> covariates, boolean allMetrics) {
    public Cuped {
        if (lookbackDays < 1) {
            throw new IllegalArgumentException("CUPED lookback must be at least 1 day: " + lookbackDays);
        }
        covariates = List.copyOf(covariates);
        if (new HashSet<>(covariates).size() != covariates.size()) {
            throw new IllegalArgumentException("a covariate is listed twice: " + covariates);
        }
        if (allMetrics && !covariates.isEmpty()) {
            throw new IllegalArgumentException("all metrics or a list of covariates, not both");
        }
    }

    /** CUPED with each metric's own pre-period only. */
    public Cuped(int lookbackDays) {
        this(lookbackDays, List.of(), false);
    }

    /** True when other metrics' pre-period values are covariates too. */
    public boolean multipleCovariates() {
        return allMetrics || !covariates.isEmpty();
    }
}
