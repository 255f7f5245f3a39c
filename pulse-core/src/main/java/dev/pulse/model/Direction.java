package dev.pulse.model;

import java.util.Locale;

/** Which way a metric is hoped to move: decides a one- or two-sided test. */
public enum Direction {
    /** Any change matters: two-sided tests and intervals. */
    TWO_SIDED,
    /** An increase is the hoped-for change: a one-sided test of {@code lift > 0}. */
    INCREASE,
    /** A decrease is the hoped-for change: a one-sided test of {@code lift < 0}. */
    DECREASE;

    /** The name used in the config: the constant in lower case, such as {@code two_sided}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
