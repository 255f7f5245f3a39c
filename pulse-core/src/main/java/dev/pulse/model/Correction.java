package dev.pulse.model;

import java.util.Locale;

/** Multiple-comparison correction of the p-values of an experiment's comparisons (every metric × treatment). */
public enum Correction {
    /** No correction: each p-value is compared with alpha. */
    NONE,
    /** Bonferroni: each p-value is multiplied by the number of comparisons. */
    BONFERRONI,
    /** Holm's step-down procedure (family-wise error rate). */
    HOLM,
    /** Benjamini–Hochberg step-up procedure (false discovery rate). */
    BENJAMINI_HOCHBERG;

    /** The name used in the config: the constant in lower case, such as {@code benjamini_hochberg}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
