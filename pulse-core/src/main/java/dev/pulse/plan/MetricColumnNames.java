package dev.pulse.plan;

import dev.pulse.model.MetricName;
import dev.pulse.model.MetricType;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Gives each metric of a plan its column-name stem, so that the SQL users read names its columns after the
 * metrics ({@code revenue_per_user__numerator}, {@code revenue_per_user__mean_x}). A metric's name may hold
 * dots, dashes and upper case (model {@code Name}); identifiers are always quoted, but PostgreSQL cuts them
 * at 63 bytes and DuckDB and Spark compare them case-insensitively. So the stem is the name lower-cased with
 * {@code .} and {@code -} as {@code _}, cut to {@link #MAX_METRIC_STEM}; a stem already taken (names that
 * differ only in case, in {@code .}/{@code _}, or beyond the cut) becomes {@code m<index>_…}.
 */
final class MetricColumnNames {
    /** PostgreSQL truncates longer identifiers (NAMEDATALEN − 1). */
    static final int MAX_IDENTIFIER_BYTES = 63;
    /**
     * The most the SQL appends to a metric's stem: its aggregate's role {@code __denominator} (13), then per
     * day the pre-period input's {@code _pre_first_day} (14); every other suffix is shorter.
     */
    static final int LONGEST_SUFFIX = "__denominator".length() + "_pre_first_day".length();
    /** The longest stem a metric's name becomes. */
    static final int MAX_METRIC_STEM = MAX_IDENTIFIER_BYTES - LONGEST_SUFFIX;

    private final Set<String> taken = new HashSet<>();

    /** The stem of metric {@code name}, at {@code index} in the experiment, unique among those given before. */
    ColumnName next(MetricName name, int index) {
        String base = name.value().toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        String stem = cut(base, "");
        for (int attempt = 1; !taken.add(stem); attempt++) {
            stem = cut(base, "m" + index + (attempt == 1 ? "" : "_" + attempt) + "_");
        }
        return new ColumnName(stem);
    }

    /** {@code prefix} and as much of {@code base} as fits in {@link #MAX_METRIC_STEM}. */
    private static String cut(String base, String prefix) {
        return prefix + base.substring(0, Math.min(base.length(), MAX_METRIC_STEM - prefix.length()));
    }

    /** The stem of an aggregate that metric {@code stem} (of {@code type}) uses first, as its X or Y. */
    static ColumnName aggregate(ColumnName metric, MetricType type, boolean denominator) {
        if (!denominator) {
            return new ColumnName(metric.with("__numerator"));
        }
        return new ColumnName(metric.with(type == MetricType.MEAN ? "__records" : "__denominator"));
    }
}
