package dev.pulse.model;

import java.util.Locale;

/** Whether an experiment is summarised with frequentist tests or a Bayesian posterior. */
public enum InferenceMethod {
    /** p-values and confidence intervals (docs/statistics.md). */
    FREQUENTIST,
    /** A normal posterior of the relative lift under a normal prior. */
    BAYESIAN;

    /** The name used in the config: the constant in lower case, such as {@code bayesian}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
