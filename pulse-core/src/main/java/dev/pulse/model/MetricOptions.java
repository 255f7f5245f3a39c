package dev.pulse.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How a metric is analysed beyond its definition: the hoped-for direction, winsorization and the
 * window of rows that count.
 *
 * @param direction  two-sided (the default), or the one direction that counts as an improvement
 * @param winsorize  caps of the per-unit values; empty: values are used as they are
 * @param window     the rows that count relative to each unit's first exposure; empty: every row from
 *                   the first exposure to the experiment's end
 */
public record MetricOptions(Direction direction, Optional<Winsorization> winsorize, Optional<MetricWindow> window) {

    /** Two-sided, no winsorization, no window. */
    public static final MetricOptions DEFAULT = new MetricOptions(Direction.TWO_SIDED, Optional.empty(), Optional.empty());

    public MetricOptions {
        Objects.requireNonNull(direction);
        Objects.requireNonNull(winsorize);
        Objects.requireNonNull(window);
    }

    /** Options without a window. */
    public MetricOptions(Direction direction, Optional<Winsorization> winsorize) {
        this(direction, winsorize, Optional.empty());
    }
}
