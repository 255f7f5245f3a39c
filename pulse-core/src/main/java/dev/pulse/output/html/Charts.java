package dev.pulse.output.html;

import dev.pulse.analysis.MetricResult;
import dev.pulse.output.Formats;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chart geometry for the report: pixel coordinates only. The SVG markup itself is in the template;
 * nothing here writes markup.
 */
final class Charts {
    static final double INTERVAL_WIDTH = 140;
    static final double INTERVAL_HEIGHT = 24;
    private static final double INTERVAL_PAD = 6;

    private static final double SERIES_WIDTH = 640;
    private static final double SERIES_HEIGHT = 240;
    private static final double SERIES_LEFT = 64;
    private static final double SERIES_RIGHT = SERIES_WIDTH - 40;
    private static final double SERIES_TOP = 12;
    private static final double SERIES_BOTTOM = SERIES_HEIGHT - 32;

    private Charts() {}

    /**
     * The half-width of the common relative-lift scale: the largest magnitude of any bounded interval
     * end or estimate among {@code intervals}, with a 10 % margin; 1 % when there is none.
     */
    static double halfRange(List<Interval> intervals) {
        double largest = 0;
        for (Interval interval : intervals) {
            for (Double value : new Double[] {interval.estimate(), interval.lower(), interval.upper()}) {
                if (value != null) {
                    largest = Math.max(largest, Math.abs(value));
                }
            }
        }
        return largest > 0 ? largest * 1.1 : 0.01;
    }

    static ReportModel.Scale scale(double halfRange) {
        return new ReportModel.Scale(Formats.signedPercent(-halfRange), Formats.signedPercent(halfRange),
                intervalX(0, halfRange), INTERVAL_WIDTH, INTERVAL_HEIGHT);
    }

    /** The interval on the common scale, or null when its estimate or an end is undefined. */
    static ReportModel.Chart interval(Interval relative, double halfRange, String label) {
        boolean lowerDefined = relative.lower() != null || relative.lowerUnbounded();
        boolean upperDefined = relative.upper() != null || relative.upperUnbounded();
        if (relative.estimate() == null || !lowerDefined || !upperDefined) {
            return null;
        }
        double lowerX = relative.lowerUnbounded() ? INTERVAL_PAD : intervalX(relative.lower(), halfRange);
        double upperX = relative.upperUnbounded() ? INTERVAL_WIDTH - INTERVAL_PAD : intervalX(relative.upper(), halfRange);
        return new ReportModel.Chart(label, lowerX, upperX, intervalX(relative.estimate(), halfRange),
                intervalX(0, halfRange), INTERVAL_WIDTH, INTERVAL_HEIGHT, INTERVAL_HEIGHT / 2,
                relative.lowerUnbounded(), relative.upperUnbounded());
    }

    private static double intervalX(double value, double halfRange) {
        double clamped = Math.max(-halfRange, Math.min(halfRange, value));
        return round(INTERVAL_PAD + (clamped + halfRange) / (2 * halfRange) * (INTERVAL_WIDTH - 2 * INTERVAL_PAD));
    }

    /**
     * One point of a relative-lift chart: its key (a date, or days since exposure), the label of its tick, the units
     * per group and the plain comparison.
     */
    record LiftPoint(String key, String tick, long controlUnits, long treatmentUnits, Comparison comparison) {}

    /**
     * The cumulative relative lift by day with its interval band, or null when no day has an estimate.
     * The band covers the days whose interval has both ends; an unbounded end reaches the plot's edge.
     */
    static ReportModel.Series series(String metric, String group, String control, List<MetricResult.DailyPoint> points) {
        List<LiftPoint> lift = points.stream().map(point -> new LiftPoint(point.date().toString(),
                point.date().toString(), point.controlUnits(), point.treatmentUnits(), point.comparison())).toList();
        String first = lift.get(0).key();
        String last = lift.get(lift.size() - 1).key();
        return series(metric, group, "Cumulative relative lift of " + metric + ", " + group + " vs " + control + ", by day",
                (estimate, interval) -> String.format(Locale.ROOT, "Line: relative lift as of each day from %s to %s;"
                        + " shaded band: its confidence interval. On %s: %s %s.", first, last, last, estimate, interval),
                lift);
    }

    /**
     * The relative lift by days since exposure (docs/daily-results.md#days-since-exposure) with its interval band, or
     * null when no point has an estimate.
     */
    static ReportModel.Series sinceExposure(String metric, String group, String control,
                                            List<MetricResult.ExposureDayPoint> points) {
        List<LiftPoint> lift = points.stream().map(point -> new LiftPoint(String.valueOf(point.daysSinceExposure()),
                "day " + point.daysSinceExposure(), point.controlUnits(), point.treatmentUnits(), point.comparison()))
                .toList();
        int last = points.get(points.size() - 1).daysSinceExposure();
        return series(metric, group, "Relative lift of " + metric + ", " + group + " vs " + control
                        + ", by days since exposure",
                (estimate, interval) -> String.format(Locale.ROOT, "Line: relative lift of each unit's value through its"
                        + " day k since exposure (day 0 is its exposure day), k from 0 to %d, over the units whose day k had"
                        + " ended; shaded band: its confidence interval. Day %d: %s %s.", last, last, estimate,
                        interval.equals("-") ? "(no interval: a group has fewer than 2 units)" : interval),
                lift);
    }

    private static ReportModel.Series series(String metric, String group, String label,
                                             java.util.function.BinaryOperator<String> description, List<LiftPoint> points) {
        double low = 0;
        double high = 0;
        boolean any = false;
        for (LiftPoint point : points) {
            Interval relative = point.comparison().relative();
            if (relative.estimate() != null) {
                any = true;
                for (Double value : new Double[] {relative.estimate(), relative.lower(), relative.upper()}) {
                    if (value != null) {
                        low = Math.min(low, value);
                        high = Math.max(high, value);
                    }
                }
            }
        }
        if (!any) {
            return null;
        }
        double margin = (high - low) * 0.05;
        low -= margin;
        high += margin;
        if (high - low <= 0) {
            low = -0.01;
            high = 0.01;
        }
        int days = points.size();
        StringBuilder upperEdge = new StringBuilder();
        List<String> lowerEdge = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        List<ReportModel.Day> table = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            LiftPoint point = points.get(i);
            Interval relative = point.comparison().relative();
            double x = seriesX(i, days);
            if (relative.estimate() != null) {
                append(line, x, seriesY(relative.estimate(), low, high));
            }
            boolean lowerDefined = relative.lower() != null || relative.lowerUnbounded();
            boolean upperDefined = relative.upper() != null || relative.upperUnbounded();
            if (relative.estimate() != null && lowerDefined && upperDefined) {
                // an unbounded (one-sided) end runs to the edge of the plot
                append(upperEdge, x, relative.upperUnbounded() ? SERIES_TOP : seriesY(relative.upper(), low, high));
                lowerEdge.add(0, coordinate(x, relative.lowerUnbounded() ? SERIES_BOTTOM : seriesY(relative.lower(), low, high)));
            }
            table.add(new ReportModel.Day(point.key(),
                    String.format(Locale.ROOT, "%,d / %,d", point.controlUnits(), point.treatmentUnits()),
                    Formats.number(point.comparison().controlMean()), Formats.number(point.comparison().treatmentMean()),
                    Formats.signedPercent(relative.estimate()), Formats.interval(relative, true),
                    Formats.pValue(point.comparison().pValue()), exact(point.comparison().controlMean()),
                    exact(point.comparison().treatmentMean()), exact(relative.estimate()), exact(relative.lower()),
                    exact(relative.upper())));
        }
        String band = lowerEdge.isEmpty() ? "" : upperEdge + " " + String.join(" ", lowerEdge);
        List<ReportModel.Tick> yTicks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double value = low + (high - low) * i / 4;
            yTicks.add(new ReportModel.Tick(seriesY(value, low, high), Formats.signedPercent(value)));
        }
        List<ReportModel.Tick> xTicks = new ArrayList<>();
        for (int i : days > 2 ? new int[] {0, (days - 1) / 2, days - 1} : days == 2 ? new int[] {0, 1} : new int[] {0}) {
            xTicks.add(new ReportModel.Tick(seriesX(i, days), points.get(i).tick()));
        }
        Interval last = points.get(days - 1).comparison().relative();
        return new ReportModel.Series(metric, group, label,
                description.apply(Formats.signedPercent(last.estimate()), Formats.interval(last, true)), SERIES_WIDTH,
                SERIES_HEIGHT, SERIES_LEFT, SERIES_RIGHT, SERIES_TOP, SERIES_BOTTOM, seriesY(0, low, high), band,
                line.toString(), yTicks, xTicks, table);
    }

    /** How a line chart's vertical axis maps values. */
    enum Axis {
        /** From the lowest to the highest value, with a 5 % margin. */
        LINEAR,
        /** From 0 to the highest value (counts). */
        FROM_ZERO,
        /** p-values on a log scale from 1 down to {@link #SMALLEST_P} (smaller ones drawn at the bottom). */
        P_VALUE
    }

    static final double SMALLEST_P = 1e-6;
    private static final double LEGEND_HEIGHT = 20;

    /** Stroke colour and dash per line, in order: colour is never the only difference between two lines. */
    private static final String[][] STYLES = {{"#4f5861", "5 3"}, {"#0b5cad", "none"}, {"#a6300c", "1 2"},
            {"#5a3e9e", "8 2 2 2"}, {"#1d6b3a", "3 3"}};

    /**
     * Several lines over the same days ({@code values}: per line, one value per day, null for a day without one),
     * with a legend, ticks and, for {@link Axis#P_VALUE}, a dashed line at {@code reference}. Null when no line has
     * a value.
     */
    static ReportModel.LineChart lines(String label, String description, List<java.time.LocalDate> dates,
                                       java.util.LinkedHashMap<String, List<Double>> values, Axis axis, Double reference,
                                       java.util.function.Function<Double, String> tickLabel) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (List<Double> line : values.values()) {
            for (Double value : line) {
                if (value != null && Double.isFinite(value)) {
                    low = Math.min(low, value);
                    high = Math.max(high, value);
                }
            }
        }
        if (low > high) {
            return null;
        }
        switch (axis) {
            case LINEAR -> {
                double margin = (high - low) * 0.05;
                low -= margin;
                high += margin;
                if (high - low <= 0) {
                    low -= Math.max(Math.abs(low) * 0.01, 0.01);
                    high += Math.max(Math.abs(high) * 0.01, 0.01);
                }
            }
            case FROM_ZERO -> {
                low = 0;
                high = high > 0 ? high * 1.05 : 1;
            }
            case P_VALUE -> {
                low = Math.log10(SMALLEST_P);
                high = 0;
            }
        }
        int days = dates.size();
        List<ReportModel.Line> lines = new ArrayList<>();
        int index = 0;
        for (java.util.Map.Entry<String, List<Double>> entry : values.entrySet()) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < days; i++) {
                Double value = entry.getValue().get(i);
                if (value != null && Double.isFinite(value)) {
                    append(points, seriesX(i, days), seriesY(axisValue(axis, value), low, high));
                }
            }
            String[] style = STYLES[index % STYLES.length];
            lines.add(new ReportModel.Line(entry.getKey(), points.toString(), style[0], style[1],
                    SERIES_LEFT + 150.0 * index, SERIES_LEFT + 150.0 * index + 26));
            index++;
        }
        List<ReportModel.Tick> yTicks = new ArrayList<>();
        if (axis == Axis.P_VALUE) {
            for (int exponent = 0; exponent >= Math.log10(SMALLEST_P); exponent -= 2) {
                yTicks.add(new ReportModel.Tick(seriesY(exponent, low, high), tickLabel.apply(Math.pow(10, exponent))));
            }
        } else {
            for (int i = 0; i <= 4; i++) {
                double value = low + (high - low) * i / 4;
                yTicks.add(new ReportModel.Tick(seriesY(value, low, high), tickLabel.apply(value)));
            }
        }
        List<ReportModel.Tick> xTicks = new ArrayList<>();
        for (int i : days > 2 ? new int[] {0, (days - 1) / 2, days - 1} : days == 2 ? new int[] {0, 1} : new int[] {0}) {
            xTicks.add(new ReportModel.Tick(seriesX(i, days), dates.get(i).toString()));
        }
        Double referenceY = reference == null ? null : seriesY(axisValue(axis, reference), low, high);
        return new ReportModel.LineChart(label, description, SERIES_WIDTH, SERIES_HEIGHT + LEGEND_HEIGHT, SERIES_LEFT,
                SERIES_RIGHT, SERIES_TOP, SERIES_BOTTOM, SERIES_HEIGHT + LEGEND_HEIGHT / 2, lines, yTicks, xTicks, referenceY);
    }

    private static double axisValue(Axis axis, double value) {
        return axis == Axis.P_VALUE ? Math.max(Math.log10(SMALLEST_P), Math.log10(Math.max(value, Double.MIN_VALUE))) : value;
    }

    /** A figure as {@link Double#toString} writes it, for a data attribute: exact; empty when undefined. */
    static String exact(Double value) {
        return value == null ? "" : Double.toString(value);
    }

    private static double seriesX(int day, int days) {
        return round(days == 1 ? (SERIES_LEFT + SERIES_RIGHT) / 2
                : SERIES_LEFT + (SERIES_RIGHT - SERIES_LEFT) * day / (days - 1));
    }

    private static double seriesY(double value, double low, double high) {
        return round(SERIES_BOTTOM - (value - low) / (high - low) * (SERIES_BOTTOM - SERIES_TOP));
    }

    private static void append(StringBuilder points, double x, double y) {
        if (points.length() > 0) {
            points.append(' ');
        }
        points.append(coordinate(x, y));
    }

    private static String coordinate(double x, double y) {
        return Formats.plain(x) + "," + Formats.plain(y);
    }

    private static double round(double pixels) {
        return Math.round(pixels * 10) / 10.0;
    }
}
