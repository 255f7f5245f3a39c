package dev.pulse.model;

import java.util.Locale;

/** How the confidence interval of the relative lift {@code R_t / R_c − 1} is computed. */
public enum RelativeInterval {
    /** Delta method on the ratio of two independent estimates (docs/statistics.md). */
    DELTA,
    /** Fieller's interval for a ratio of two normal means (may be unbounded). */
    FIELLER;

    /** The name used in the config: the constant in lower case, such as {@code fieller}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
