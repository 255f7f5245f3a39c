package dev.pulse.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Columns of the assignment source to break results down by, each taken at the unit's first
 * exposure: per value, the units per group, their SRM check and every metric's comparisons, for the
 * {@code topValues} values with the most units and one bucket {@link #OTHER} for the rest. A NULL
 * becomes the value {@link #NULL_VALUE}. The breakdown is exploratory: no correction across values. Each
 * value's effect is also tested against the rest's (heterogeneous effects), corrected across the dimension's values.
 *
 * @param columns      column names of the assignment source, distinct; empty: no breakdown
 * @param topValues    how many values of each dimension are reported on their own, at least 1
 * @param postStratify one of the columns to post-stratify every moment metric's comparison on
 *                     (docs/post-stratification.md); empty: none
 * @param heterogeneityCorrection the correction of the heterogeneity tests across a dimension's values, not
 *                     {@link Correction#NONE}
 */
public record Dimensions(List<String> columns, int topValues, Optional<String> postStratify,
                         Correction heterogeneityCorrection) {
    /** The default number of values reported on their own. */
    public static final int DEFAULT_TOP_VALUES = 10;
    /** The heterogeneity tests' correction when the config names none: Holm, family-wise like Bonferroni, never less powerful. */
    public static final Correction DEFAULT_HETEROGENEITY_CORRECTION = Correction.HOLM;
    /** No breakdown. */
    public static final Dimensions NONE = new Dimensions(List.of(), DEFAULT_TOP_VALUES);

    /** The value of a unit whose column was NULL at its first exposure. */
    public static final String NULL_VALUE = "(null)";
    /** The bucket of every value outside the top ones. */
    public static final String OTHER = "(other)";

    public Dimensions {
        columns = List.copyOf(columns);
        if (new HashSet<>(columns).size() != columns.size()) {
            throw new IllegalArgumentException("a dimension is listed twice: " + columns);
        }
        if (columns.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a dimension needs a column name");
        }
        Objects.requireNonNull(postStratify);
        if (postStratify.isPresent() && !columns.contains(postStratify.get())) {
            throw new IllegalArgumentException("post_stratify '" + postStratify.get() + "' is not a dimension");
        }
        if (topValues < 1) {
            throw new IllegalArgumentException("at least one value per dimension, got " + topValues);
        }
        if (heterogeneityCorrection == Correction.NONE) {
            throw new IllegalArgumentException("the heterogeneity tests need a correction across values");
        }
        java.util.Objects.requireNonNull(heterogeneityCorrection);
    }

    /** Dimensions without post-stratification, with the default heterogeneity correction. */
    public Dimensions(List<String> columns, int topValues) {
        this(columns, topValues, Optional.empty(), DEFAULT_HETEROGENEITY_CORRECTION);
    }

    /** Dimensions without post-stratification. */
    public Dimensions(List<String> columns, int topValues, Correction heterogeneityCorrection) {
        this(columns, topValues, Optional.empty(), heterogeneityCorrection);
    }

    /** Dimensions with the default heterogeneity correction. */
    public Dimensions(List<String> columns, int topValues, Optional<String> postStratify) {
        this(columns, topValues, postStratify, DEFAULT_HETEROGENEITY_CORRECTION);
    }

    /** True when results are broken down by at least one column. */
    public boolean any() {
        return !columns.isEmpty();
    }
}
