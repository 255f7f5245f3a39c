package dev.pulse.output.html;

import java.util.List;

/**
 * The view model the report template reads: every figure already formatted (the way the console
 * table prints it) and every chart coordinate already computed, so the template only places text.
 * The template HTML-escapes every value.
 */
public final class ReportModel {
    private ReportModel() {}

    /** The whole page. */
    public record Page(String title, List<Experiment> experiments) {
        public Page {
            experiments = List.copyOf(experiments);
        }
    }

    /**
     * The decision summary (docs/report.md#decision-summary): an entry per primary metric and treatment and per
     * guardrail and treatment, the other lines as the table prints them (no guardrail harmed, failed health checks),
     * and whether the experiment is healthy (no guardrail harmed, SRM passed, no bias).
     */
    public record Decision(List<DecisionEntry> entries, List<String> lines, boolean healthy) {
        public Decision {
            entries = List.copyOf(entries);
            lines = List.copyOf(lines);
        }
    }

    /**
     * One line of the decision summary with its exact figures for the page's data attributes: {@code role} primary or
     * guardrail, {@code relative} the relative lift and {@code pValue} the p-value (for a guardrail: of the test of
     * harm) as {@link Double#toString} writes them (empty when undefined), {@code flagged}: significant, or harmed.
     */
    public record DecisionEntry(String role, String metric, String group, String text, String relative, String pValue,
                                boolean flagged) {
    }

    /** The metric table of one role (primary, guardrail, secondary), with its heading. */
    public record RoleTable(String role, String heading, String anchor, List<Row> rows) {
        public RoleTable {
            rows = List.copyOf(rows);
        }
    }

    /**
     * The daily charts of one metric and treatment: the cumulative relative lift with its band, the two groups'
     * cumulative values, and the table of the days behind both; and the relative lift by days since exposure with its
     * band and table ({@code sinceExposure}, null when no point has an estimate).
     */
    public record DailyMetric(String metric, String group, Series lift, LineChart means, Series sinceExposure) {
    }

    /**
     * The health section (docs/report.md#health).
     *
     * @param groups      the groups' names, the columns of {@code days}
     * @param days        per day the units per group and the SRM p-value; empty without daily results
     * @param exposures   new units per day by group; null without daily results
     * @param srm         the SRM p-value by day; null without daily results
     * @param exclusions  every reason something was left out
     * @param bias        the bias check's summary line, or null without one
     * @param biasRows    the bias check's comparisons
     * @param progress    the progress toward planned_units, or null without a plan
     * @param detectable  per primary metric and treatment, the MDE now and at the plan
     */
    public record Health(List<String> groups, List<HealthDay> days, LineChart exposures, LineChart srm,
                         List<ExclusionRow> exclusions, Bias bias, List<BiasRow> biasRows, Progress progress,
                         List<DetectableRow> detectable) {
        public Health {
            groups = List.copyOf(groups);
            days = List.copyOf(days);
            exclusions = List.copyOf(exclusions);
            biasRows = List.copyOf(biasRows);
            detectable = List.copyOf(detectable);
        }

        /** For the template: whether there are daily figures. */
        public boolean hasDays() {
            return !days.isEmpty();
        }

        /** For the template: whether the bias check has comparisons. */
        public boolean hasBiasRows() {
            return !biasRows.isEmpty();
        }

        /** For the template: whether there are primary metrics to size. */
        public boolean hasDetectable() {
            return !detectable.isEmpty();
        }
    }

    /** One day of the health section: per group (in {@link Health#groups} order) its units, and the SRM p-value. */
    public record HealthDay(String date, List<UnitCell> units, String srmPValue, String srmPValueExact) {
        public HealthDay {
            units = List.copyOf(units);
        }
    }

    /** A group's units on a day: cumulative and new, formatted and exact. */
    public record UnitCell(String group, String cumulative, String added, long cumulativeExact, long addedExact) {
    }

    /** One reason something was left out: {@code key} as the JSON's {@code health.exclusions[].reason}. */
    public record ExclusionRow(String key, String reason, String count, long countExact, String what) {
    }

    /** One comparison of the pre-experiment bias check. */
    public record BiasRow(String metric, String group, String relativeLift, String adjustedPValue, boolean flagged) {
    }

    /**
     * Progress toward planned_units: {@code percent} formatted, {@code width} the bar's fill in percent (at most 100),
     * {@code fraction} exact.
     */
    public record Progress(String units, String planned, String percent, double width, String fraction, long unitsExact,
                           long plannedExact, long ariaNow) {
    }

    /** A primary metric's relative MDE now and at the plan, formatted and exact ({@code -} / empty when undefined). */
    public record DetectableRow(String metric, String group, String now, String atPlan, String nowExact,
                                String atPlanExact) {
    }

    public record Experiment(
            String name,
            String anchor,
            String unit,
            String engine,
            String start,
            String end,
            String alpha,
            String confidence,
            List<Group> groups,
            String totalUnits,
            String excludedMultipleGroups,
            String excludedUnknownGroup,
            String idResolution,
            Srm srm,
            List<String> notes,
            List<String> warnings,
            Scale scale,
            List<RoleTable> tables,
            List<String> tableNotes,
            List<DailyMetric> series,
            List<Dimension> dimensions,
            List<Interaction> interactions,
            String sql,
            Bias bias,
            Decision decision,
            Health health) {
        public Experiment {
            interactions = List.copyOf(interactions);
            groups = List.copyOf(groups);
            notes = List.copyOf(notes);
            warnings = List.copyOf(warnings);
            tables = List.copyOf(tables);
            tableNotes = List.copyOf(tableNotes);
            series = List.copyOf(series);
            dimensions = List.copyOf(dimensions);
        }

        /** For the template: whether there is a dimension section. */
        public boolean hasDimensions() {
            return !dimensions.isEmpty();
        }

        /** For the template: whether there is an interaction section (only when something is flagged). */
        public boolean hasInteractions() {
            return !interactions.isEmpty();
        }

        /** For the template: whether there are daily charts. */
        public boolean hasSeries() {
            return !series.isEmpty();
        }
    }

    /**
     * The pre-experiment bias check, or null without one: {@code flagged} shows the banner naming the imbalanced
     * metrics at the top of the experiment's section.
     */
    public record Bias(boolean flagged, String message) {
    }

    /** A group's units, its observed and expected share. */
    public record Group(String name, String units, String observedShare, String expectedShare) {
    }

    /** The sample-ratio check: {@code failed} shows the red banner. */
    public record Srm(boolean failed, String chiSquare, String pValue) {
    }

    /** The common relative-lift axis of the experiment's interval charts: its ends and zero, in pixels. */
    public record Scale(String lowerLabel, String upperLabel, double zeroX, double width, double height) {
    }

    /** One metric and treatment in the metric table. */
    public record Row(
            String metric,
            String direction,
            String type,
            String group,
            String control,
            String treatment,
            String absoluteLift,
            String absoluteInterval,
            String relativeLift,
            String relativeInterval,
            String pValue,
            boolean adjusted,
            boolean significant,
            String tone,
            Chart chart,
            List<String> warnings) {
        public Row {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * A relative-lift interval on the experiment's common scale, in pixels. {@code lowerOpen} and
     * {@code upperOpen} mark an end that runs past the scale (unbounded: one-sided).
     */
    public record Chart(String label, double lowerX, double upperX, double estimateX, double zeroX, double width,
                        double height, double middleY, boolean lowerOpen, boolean upperOpen) {
    }

    /** The cumulative relative lift of one metric and treatment by day, with its interval band, in pixels. */
    public record Series(
            String metric,
            String group,
            String label,
            String description,
            double width,
            double height,
            double left,
            double right,
            double top,
            double bottom,
            double zeroY,
            String band,
            String line,
            List<Tick> yTicks,
            List<Tick> xTicks,
            List<Day> days) {
        public Series {
            yTicks = List.copyOf(yTicks);
            xTicks = List.copyOf(xTicks);
            days = List.copyOf(days);
        }
    }

    /**
     * A chart of several lines over the same days, in pixels, with a legend under the dates ({@code legendY}) and,
     * when {@code referenceY} is not null, a dashed reference line (the SRM threshold).
     */
    public record LineChart(String label, String description, double width, double height, double left, double right,
                            double top, double bottom, double legendY, List<Line> lines, List<Tick> yTicks,
                            List<Tick> xTicks, Double referenceY) {
        public LineChart {
            lines = List.copyOf(lines);
            yTicks = List.copyOf(yTicks);
            xTicks = List.copyOf(xTicks);
        }
    }

    /** One line of a {@link LineChart}: its name, points, stroke and dash, and where its legend entry starts. */
    public record Line(String name, String points, String colour, String dash, double legendX, double legendTextX) {
        /** For the template: the end of the legend's line sample. */
        public double legendEndX() {
            return legendX + 20;
        }
    }

    /** An axis tick: its position (x or y, in pixels) and its label. */
    public record Tick(double position, String label) {
    }

    /**
     * One point of a series (a date, or a number of days since exposure: {@code key}), for the table behind the
     * charts; the exact figures ({@link Double#toString}, empty when undefined) go into data attributes.
     */
    public record Day(String key, String units, String controlMean, String treatmentMean, String relativeLift,
                      String relativeInterval, String pValue, String controlMeanExact, String treatmentMeanExact,
                      String relativeExact, String lowerExact, String upperExact) {
    }

    /**
     * Another experiment on the same units with a flagged finding: dependent assignments, or an effect that differs
     * across its groups ({@code rows}: every metric and treatment, {@code byGroup} the relative lift in each group).
     */
    public record Interaction(String experiment, String unitsInBoth, String assignmentsPValue, boolean dependent,
                              List<InteractionRow> rows) {
        public Interaction {
            rows = List.copyOf(rows);
        }
    }

    /** One metric and treatment against another experiment's groups. */
    public record InteractionRow(String metric, String group, String byGroup, String pValue, boolean flagged) {
    }

    /** One dimension's values; {@code flagged}: a value's effect differs from the rest's (opened in the page). */
    public record Dimension(String name, List<DimensionValue> values, boolean flagged) {
        public Dimension {
            values = List.copyOf(values);
        }
    }

    /**
     * One value of a dimension: its units per group, SRM (its p-value exact in {@code srmPValue}, empty without a
     * check) and relative lifts (uncorrected).
     */
    public record DimensionValue(String dimension, String value, String groups, Srm srm, String srmPValue,
                                 List<DimensionRow> rows) {
        public DimensionValue {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One metric and treatment within a dimension value; {@code difference} and {@code heterogeneityPValue}: its
     * absolute effect minus the rest's and the corrected p-value ({@code -} when not tested), {@code heterogeneous}:
     * flagged.
     */
    public record DimensionRow(String metric, String group, String relativeLift, String relativeInterval,
                               String pValue, boolean significant, String tone, String difference,
                               String heterogeneityPValue, boolean heterogeneous, String heterogeneityPValueExact) {
    }
}
