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

    /** One experiment's section. */
    /**
     * The decision summary (docs/report.md#decision-summary): its lines, as the table prints them, and whether the
     * experiment is healthy (no guardrail harmed, SRM passed, no bias).
     */
    public record Decision(List<String> lines, boolean healthy) {
        public Decision {
            lines = List.copyOf(lines);
        }
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
            List<Row> rows,
            List<String> tableNotes,
            List<Series> series,
            List<Dimension> dimensions,
            List<Interaction> interactions,
            String sql,
            Bias bias,
            Decision decision) {
        public Experiment {
            interactions = List.copyOf(interactions);
            groups = List.copyOf(groups);
            notes = List.copyOf(notes);
            warnings = List.copyOf(warnings);
            rows = List.copyOf(rows);
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

    /** An axis tick: its position (x or y, in pixels) and its label. */
    public record Tick(double position, String label) {
    }

    /** One day of a series, for the table behind the chart. */
    public record Day(String date, String units, String relativeLift, String relativeInterval, String pValue) {
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

    /** One value of a dimension: its units per group, SRM and relative lifts (uncorrected). */
    public record DimensionValue(String value, String groups, Srm srm, List<DimensionRow> rows) {
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
                               String heterogeneityPValue, boolean heterogeneous) {
    }
}
