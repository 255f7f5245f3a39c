package dev.pulse.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How a metric is analysed beyond its definition: the hoped-for direction and winsorization.
 *
 * @param direction  two-sided (the default), or the one direction that counts as an improvement
 * @param winsorize  caps of the per-unit values; empty: values are used as they are
 */
public record MetricOptions(Direction direction, Optional<Winsorization> winsorize) {

    /** Two-sided, no winsorization. */
    public static final MetricOptions DEFAULT = new MetricOptions(Direction.TWO_SIDED, Optional.empty());

    public MetricOptions {
        Objects.requireNonNull(direction);
        Objects.requireNonNull(winsorize);
    }
}
