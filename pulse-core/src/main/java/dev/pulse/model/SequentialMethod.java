package dev.pulse.model;

import java.util.Locale;

/** Which always-valid (sequential) method an experiment's {@code sequential:} option uses. */
public enum SequentialMethod {
    /** Normal-mixture SPRT with τ a fraction of the control value (the default; docs/cuped-sequential-bayesian.md §2). */
    MSPRT,
    /**
     * GrowthBook's asymptotic confidence sequence (Waudby-Smith et al.) with tuning parameter N*, for
     * reconciling numbers with GrowthBook (docs/cuped-sequential-bayesian.md §2b).
     */
    GROWTHBOOK;

    /** The name used in the config: the constant in lower case, such as {@code growthbook}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
