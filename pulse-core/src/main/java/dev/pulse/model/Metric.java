package dev.pulse.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How rows become one number per unit (X) and, for {@code mean} and {@code ratio}, a denominator per
 * unit (Y). See docs/metric-types.md. A metric with no denominator has {@code Y ≡ 1}: its group value is the
 * mean of X over units. A {@link Percentile} is the exception: its X depends on a group-level
 * quantile, so the ordinary moments statement skips it (see {@link Percentile#numerator()}).
 */
public sealed interface Metric {

    MetricName name();

    MetricType type();

    /** The family that computes and compares it: chosen by the type, never configured. */
    MetricFamily family();

    /** X: the per-unit numerator. */
    UnitAggregate numerator();

    /** Y: the per-unit denominator, empty when {@code Y ≡ 1}. */
    Optional<UnitAggregate> denominator();

    /** Every source the metric reads (its numerator's and denominator's; a funnel's step sources), in first-use order. */
    default java.util.List<SourceName> sources() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(numerator()), denominator().stream())
                .map(UnitAggregate::source).distinct().toList();
    }

    /** How the metric is analysed: direction and winsorization ({@link MetricOptions#DEFAULT} unless configured). */
    MetricOptions options();

    /** This metric with other options. */
    Metric withOptions(MetricOptions options);

    /** Sum of {@code value} per unit. */
    record Sum(MetricName name, SourceName source, String value, Optional<String> filter, MetricOptions options) implements Metric {
        public Sum {
            Objects.requireNonNull(name);
            Objects.requireNonNull(options);
        }

        /** With {@link MetricOptions#DEFAULT}. */
        public Sum(MetricName name, SourceName source, String value, Optional<String> filter) {
            this(name, source, value, filter, MetricOptions.DEFAULT);
        }

        public Sum withOptions(MetricOptions newOptions) {
            return new Sum(name, source, value, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.SUM;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.SUM, Optional.of(value), filter);
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.empty();
        }
    }

    /** Number of rows per unit. */
    record Count(MetricName name, SourceName source, Optional<String> filter, MetricOptions options) implements Metric {
        public Count {
            Objects.requireNonNull(name);
            Objects.requireNonNull(options);
        }

        /** With {@link MetricOptions#DEFAULT}. */
        public Count(MetricName name, SourceName source, Optional<String> filter) {
            this(name, source, filter, MetricOptions.DEFAULT);
        }

        public Count withOptions(MetricOptions newOptions) {
            return new Count(name, source, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.COUNT;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.COUNT_ROWS, Optional.empty(), filter);
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.empty();
        }
    }

    /** Number of distinct values of {@code value} per unit. */
    record CountDistinct(MetricName name, SourceName source, String value, Optional<String> filter, MetricOptions options) implements Metric {
        public CountDistinct {
            Objects.requireNonNull(name);
            Objects.requireNonNull(options);
        }

        /** With {@link MetricOptions#DEFAULT}. */
        public CountDistinct(MetricName name, SourceName source, String value, Optional<String> filter) {
            this(name, source, value, filter, MetricOptions.DEFAULT);
        }

        public CountDistinct withOptions(MetricOptions newOptions) {
            return new CountDistinct(name, source, value, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.COUNT_DISTINCT;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.COUNT_DISTINCT, Optional.of(value), filter);
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.empty();
        }
    }

    /** 1 if the unit has a row, else 0: the share of units that did something. */
    record UnitCount(MetricName name, SourceName source, Optional<String> filter, MetricOptions options) implements Metric {
        public UnitCount {
            Objects.requireNonNull(name);
            Objects.requireNonNull(options);
        }

        /** With {@link MetricOptions#DEFAULT}. */
        public UnitCount(MetricName name, SourceName source, Optional<String> filter) {
            this(name, source, filter, MetricOptions.DEFAULT);
        }

        public UnitCount withOptions(MetricOptions newOptions) {
            return new UnitCount(name, source, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.UNIT_COUNT;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.ANY_ROW, Optional.empty(), filter);
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.empty();
        }
    }

    /**
     * Mean of {@code value} over rows: X is the unit's sum, Y its records (rows with a non-NULL
     * value), and the group value ΣX / ΣY.
     */
    record Mean(MetricName name, SourceName source, String value, Optional<String> filter, MetricOptions options) implements Metric {
        public Mean {
            Objects.requireNonNull(name);
            Objects.requireNonNull(options);
        }

        /** With {@link MetricOptions#DEFAULT}. */
        public Mean(MetricName name, SourceName source, String value, Optional<String> filter) {
            this(name, source, value, filter, MetricOptions.DEFAULT);
        }

        public Mean withOptions(MetricOptions newOptions) {
            return new Mean(name, source, value, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.MEAN;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.SUM, Optional.of(value), filter);
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.of(new UnitAggregate(source, AggregateFunction.COUNT_VALUES, Optional.of(value), filter));
        }
    }

    /**
     * Ratio of two per-unit aggregates, possibly from different sources; the group value is ΣX / ΣY.
     * Each side is a {@code sum}, {@code count} or {@code count_distinct}.
     */
    record Ratio(MetricName name, UnitAggregate ratioNumerator, UnitAggregate ratioDenominator, MetricOptions options) implements Metric {
        public Ratio {
            Objects.requireNonNull(name);
            Objects.requireNonNull(options);
            checkSide(ratioNumerator);
            checkSide(ratioDenominator);
        }

        private static void checkSide(UnitAggregate side) {
            if (side.threshold().isPresent()) {
                throw new IllegalArgumentException("a ratio side has no threshold");
            }
            switch (side.function()) {
                case SUM, COUNT_ROWS, COUNT_DISTINCT -> { }
                case COUNT_VALUES, ANY_ROW, FIRST_VALUE, LATEST_VALUE, HAS_VALUE, DISTINCT_DAYS, EXPOSED_DAYS ->
                        throw new IllegalArgumentException("a ratio side is sum, count or count_distinct, not " + side.function());
            }
        }

        /** With {@link MetricOptions#DEFAULT}. */
        public Ratio(MetricName name, UnitAggregate ratioNumerator, UnitAggregate ratioDenominator) {
            this(name, ratioNumerator, ratioDenominator, MetricOptions.DEFAULT);
        }

        public Ratio withOptions(MetricOptions newOptions) {
            return new Ratio(name, ratioNumerator, ratioDenominator, newOptions);
        }

        public MetricType type() {
            return MetricType.RATIO;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return ratioNumerator;
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.of(ratioDenominator);
        }
    }

    /**
     * A quantile of row values: the {@code percentile} quantile of {@code value} over the counted rows
     * of every unit of a group (rows with a NULL value, or failing {@code filter}, are not records).
     * Its interval is cluster-aware (Deng, Knoblich &amp; Lu, KDD 2018, §4; {@code dev.pulse.stats.Percentiles}):
     * per unit, X = the rows with {@code value <= Q̂} of the unit's group and Y = its records.
     *
     * <p>Because X depends on the group's quantile {@code Q̂}, no {@link UnitAggregate} computes it, and
     * the experiment's ordinary moments statement skips percentile metrics; their data come from their
     * own statements (the percentile plan and renderer). Winsorization does not apply: a quantile of
     * rows is already robust to outliers, so {@code options} must not winsorize.
     *
     * @param percentile the probability p of the quantile, in (0, 1): 0.9 for the 90th percentile
     */
    record Percentile(MetricName name, SourceName source, String value, double percentile, Optional<String> filter,
                      MetricOptions options) implements Metric {
        public Percentile {
            Objects.requireNonNull(name);
            Objects.requireNonNull(source);
            Objects.requireNonNull(value);
            Objects.requireNonNull(filter);
            Objects.requireNonNull(options);
            if (!(percentile > 0 && percentile < 1)) {
                throw new IllegalArgumentException("a percentile is in (0, 1), got " + percentile);
            }
            if (options.winsorize().isPresent()) {
                throw new IllegalArgumentException("a percentile metric is not winsorized");
            }
            if (options.window().isPresent()) {
                throw new IllegalArgumentException("a percentile metric has no window");
            }
        }

        /** With {@link MetricOptions#DEFAULT}. */
        public Percentile(MetricName name, SourceName source, String value, double percentile, Optional<String> filter) {
            this(name, source, value, percentile, filter, MetricOptions.DEFAULT);
        }

        public Percentile withOptions(MetricOptions newOptions) {
            return new Percentile(name, source, value, percentile, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.PERCENTILE;
        }

        public MetricFamily family() {
            return MetricFamily.PERCENTILE;
        }

        /**
         * The rows the per-unit indicator count X is taken over: {@code COUNT_VALUES} of {@code value}
         * under {@code filter}. X itself, the number of those rows with {@code value <= Q̂} of the
         * unit's group, needs the group's quantile first and is computed only by the percentile
         * statements; this aggregate names the source, value and filter the metric reads (validation
         * and error probes use it).
         */
        public UnitAggregate numerator() {
            return records();
        }

        /** Y: the unit's records, rows with a non-NULL {@code value} after {@code filter} ({@code COUNT_VALUES}). */
        public Optional<UnitAggregate> denominator() {
            return Optional.of(records());
        }

        private UnitAggregate records() {
            return new UnitAggregate(source, AggregateFunction.COUNT_VALUES, Optional.of(value), filter);
        }
    }

    /**
     * The unit's first non-NULL {@code value} (as a double) by timestamp over its counted rows (in its window
     * if any), ties at that timestamp to the greatest value: X is that value (0 without one), Y is 1 when the
     * unit has one, else 0, so ΣX / ΣY is the mean over the units with a value. Not winsorized: a capped
     * value would be no row's value, and the units without one would get the caps (docs/metric-types.md).
     */
    record FirstValue(MetricName name, SourceName source, String value, Optional<String> filter,
                      MetricOptions options) implements Metric {
        public FirstValue {
            requireValueMetric(name, source, value, filter, options);
        }

        public FirstValue withOptions(MetricOptions newOptions) {
            return new FirstValue(name, source, value, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.FIRST_VALUE;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.FIRST_VALUE, Optional.of(value), filter);
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.of(new UnitAggregate(source, AggregateFunction.HAS_VALUE, Optional.of(value), filter));
        }
    }

    /** As {@link FirstValue}, of the row with the greatest timestamp: the latest value. */
    record LatestValue(MetricName name, SourceName source, String value, Optional<String> filter,
                       MetricOptions options) implements Metric {
        public LatestValue {
            requireValueMetric(name, source, value, filter, options);
        }

        public LatestValue withOptions(MetricOptions newOptions) {
            return new LatestValue(name, source, value, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.LATEST_VALUE;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.LATEST_VALUE, Optional.of(value), filter);
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.of(new UnitAggregate(source, AggregateFunction.HAS_VALUE, Optional.of(value), filter));
        }
    }

    private static void requireValueMetric(MetricName name, SourceName source, String value, Optional<String> filter,
                                           MetricOptions options) {
        Objects.requireNonNull(name);
        Objects.requireNonNull(source);
        Objects.requireNonNull(value);
        Objects.requireNonNull(filter);
        Objects.requireNonNull(options);
        if (options.winsorize().isPresent()) {
            throw new IllegalArgumentException("a first or latest value metric is not winsorized");
        }
    }

    /**
     * Daily participation: X is the number of distinct UTC days on which the unit has a counted row, Y the
     * UTC days it was in the experiment (from its first exposure's day through the last day), and the group
     * value ΣX / ΣY. The experiment needs an end. No window (Y spans the experiment) and no winsorization.
     */
    record Participation(MetricName name, SourceName source, Optional<String> filter, MetricOptions options)
            implements Metric {
        public Participation {
            Objects.requireNonNull(name);
            Objects.requireNonNull(source);
            Objects.requireNonNull(filter);
            Objects.requireNonNull(options);
            if (options.winsorize().isPresent()) {
                throw new IllegalArgumentException("a participation metric is not winsorized");
            }
            if (options.window().isPresent()) {
                throw new IllegalArgumentException("a participation metric has no window");
            }
        }

        public Participation withOptions(MetricOptions newOptions) {
            return new Participation(name, source, filter, newOptions);
        }

        public MetricType type() {
            return MetricType.PARTICIPATION;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.DISTINCT_DAYS, Optional.empty(), filter);
        }

        /**
         * Y: the days in the experiment. It reads no row; it names X's source and filter only so that the
         * planner files it in X's pass beside X's row input (they do not change its value).
         */
        public Optional<UnitAggregate> denominator() {
            return Optional.of(new UnitAggregate(source, AggregateFunction.EXPOSED_DAYS, Optional.empty(), filter));
        }
    }

    /**
     * The share of units whose aggregate reaches a threshold (docs/metric-types.md#threshold): X is 1 when
     * the unit's {@code function} of {@code value} over its counted rows (in its window, if any; 0 for a
     * unit without rows) satisfies {@code threshold}, else 0, and {@code Y ≡ 1}. X is 0 or 1, so
     * {@code options} must not winsorize.
     *
     * @param function {@code SUM}, {@code COUNT_ROWS} or {@code COUNT_DISTINCT}
     * @param value    required for SUM and COUNT_DISTINCT, empty for COUNT_ROWS
     */
    record Threshold(MetricName name, SourceName source, AggregateFunction function, Optional<String> value,
                     Optional<String> filter, UnitThreshold threshold, MetricOptions options) implements Metric {
        public Threshold {
            Objects.requireNonNull(name);
            Objects.requireNonNull(threshold);
            Objects.requireNonNull(options);
            numerator(source, function, value, filter, threshold); // checks the function and value
            if (options.winsorize().isPresent()) {
                throw new IllegalArgumentException("a threshold metric is not winsorized: its values are 0 or 1");
            }
        }

        /** With {@link MetricOptions#DEFAULT}. */
        public Threshold(MetricName name, SourceName source, AggregateFunction function, Optional<String> value,
                         Optional<String> filter, UnitThreshold threshold) {
            this(name, source, function, value, filter, threshold, MetricOptions.DEFAULT);
        }

        public Threshold withOptions(MetricOptions newOptions) {
            return new Threshold(name, source, function, value, filter, threshold, newOptions);
        }

        public MetricType type() {
            return MetricType.THRESHOLD;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return numerator(source, function, value, filter, threshold);
        }

        private static UnitAggregate numerator(SourceName source, AggregateFunction function, Optional<String> value,
                                               Optional<String> filter, UnitThreshold threshold) {
            return new UnitAggregate(source, function, value, filter, Optional.of(threshold));
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.empty();
        }
    }

    /**
     * The share of units active in {@code [first exposure + start_days, first exposure + end_days)}
     * (docs/metric-types.md#retention): a {@code unit_count} over its own {@link MetricWindow}, so units whose
     * window has not closed by the experiment's end are left out and counted. The window is carried in
     * {@code options} as for any windowed metric (a given window must be the same one); no winsorization.
     */
    record Retention(MetricName name, SourceName source, Optional<String> filter, MetricWindow window,
                     MetricOptions options) implements Metric {
        public Retention {
            Objects.requireNonNull(name);
            Objects.requireNonNull(source);
            Objects.requireNonNull(filter);
            Objects.requireNonNull(window);
            Objects.requireNonNull(options);
            if (options.winsorize().isPresent()) {
                throw new IllegalArgumentException("a retention metric is not winsorized: its values are 0 or 1");
            }
            if (options.window().isPresent() && !options.window().get().equals(window)) {
                throw new IllegalArgumentException("a retention metric has one window, got " + window + " and "
                        + options.window().get());
            }
            options = new MetricOptions(options.direction(), options.winsorize(), Optional.of(window));
        }

        /** With {@link MetricOptions#DEFAULT} but the window. */
        public Retention(MetricName name, SourceName source, Optional<String> filter, MetricWindow window) {
            this(name, source, filter, window, MetricOptions.DEFAULT);
        }

        /** With {@code newOptions}' direction; the window stays this metric's own. */
        public Retention withOptions(MetricOptions newOptions) {
            return new Retention(name, source, filter, window, newOptions);
        }

        public MetricType type() {
            return MetricType.RETENTION;
        }

        public MetricFamily family() {
            return MetricFamily.MOMENTS;
        }

        public UnitAggregate numerator() {
            return new UnitAggregate(source, AggregateFunction.ANY_ROW, Optional.empty(), filter);
        }

        public Optional<UnitAggregate> denominator() {
            return Optional.empty();
        }
    }

    /**
     * A conversion funnel (docs/metric-types.md#funnel): 2 to 10 ordered steps, each the rows of a source
     * that pass its filter. Per unit, t₁ is its earliest step-1 row and t_k its earliest step-k row at or
     * after t_{k−1} (unless not {@code ordered}) and before the window's end; reached_k is 1 when t_k exists.
     * The metric's value is the overall conversion (X = reached_K, Y = reached_1, or Y ≡ 1 over every
     * exposed unit), and each step's conversion from the previous one comes with it. Its per-unit values
     * need row order, so its own statement computes them; no winsorization or window applies.
     *
     * @param windowDays the conversion window in days (of 24 h), measured from {@code windowFrom}; empty: none
     */
    record Funnel(MetricName name, java.util.List<Step> steps, java.util.OptionalInt windowDays, WindowFrom windowFrom,
                  boolean ordered, Denominator denominatorKind, MetricOptions options) implements Metric {
        /** The most steps a funnel may have. */
        public static final int MAX_STEPS = 10;

        /** One step: its name (an identifier, unique in the funnel), the source it reads and its filter. */
        public record Step(String name, SourceName source, Optional<String> filter) {
            public Step {
                Objects.requireNonNull(name);
                Objects.requireNonNull(source);
                Objects.requireNonNull(filter);
            }
        }

        /** Where the conversion window is measured from. */
        public enum WindowFrom { FIRST_STEP, PREVIOUS_STEP }

        /** The units the overall conversion is a share of. */
        public enum Denominator { FIRST_STEP, EXPOSED }

        public Funnel {
            Objects.requireNonNull(name);
            steps = java.util.List.copyOf(steps);
            Objects.requireNonNull(windowDays);
            Objects.requireNonNull(windowFrom);
            Objects.requireNonNull(denominatorKind);
            Objects.requireNonNull(options);
            if (steps.size() < 2 || steps.size() > MAX_STEPS) {
                throw new IllegalArgumentException("a funnel has 2 to " + MAX_STEPS + " steps, got " + steps.size());
            }
            if (steps.stream().map(Step::name).distinct().count() != steps.size()) {
                throw new IllegalArgumentException("a funnel's step names are unique");
            }
            if (windowDays.isPresent() && windowDays.getAsInt() < 1) {
                throw new IllegalArgumentException("a funnel's window is at least 1 day");
            }
            if (options.winsorize().isPresent() || options.window().isPresent()) {
                throw new IllegalArgumentException("a funnel metric has no winsorization and no window");
            }
        }

        public Funnel withOptions(MetricOptions newOptions) {
            return new Funnel(name, steps, windowDays, windowFrom, ordered, denominatorKind, newOptions);
        }

        public MetricType type() {
            return MetricType.FUNNEL;
        }

        public MetricFamily family() {
            return MetricFamily.FUNNEL;
        }

        /** Names the last step's rows (validation and probes use it); reached_K itself needs the statement. */
        public UnitAggregate numerator() {
            return step(steps.size() - 1);
        }

        /** The first step's rows for {@code first_step}; empty for {@code exposed} ({@code Y ≡ 1}). */
        public Optional<UnitAggregate> denominator() {
            return denominatorKind == Denominator.FIRST_STEP ? Optional.of(step(0)) : Optional.empty();
        }

        public java.util.List<SourceName> sources() {
            return steps.stream().map(Step::source).distinct().toList();
        }

        private UnitAggregate step(int index) {
            return new UnitAggregate(steps.get(index).source(), AggregateFunction.ANY_ROW, Optional.empty(),
                    steps.get(index).filter());
        }
    }
}
