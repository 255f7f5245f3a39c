package dev.pulse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.analysis.PowerResult;
import dev.pulse.model.Group;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A {@link PowerResult} as a console table or as JSON (undefined figures: {@code null} / {@code -}). */
final class PowerReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PowerReport() {}

    static String json(PowerResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("experiment", result.name());
        root.put("unit", result.unit());
        ObjectNode window = root.putObject("window");
        window.put("from", result.from().toString());
        window.put("to", result.to().toString());
        window.put("days", result.windowDays());
        root.put("historical_units", result.historicalUnits());
        root.put("units_per_day", result.unitsPerDay());
        root.put("planned_units", result.plannedUnits());
        root.put("alpha", result.alpha());
        root.put("power", result.power());
        if (result.relativeEffect().isPresent()) {
            root.put("relative_effect", result.relativeEffect().getAsDouble());
        } else {
            root.putNull("relative_effect");
        }
        root.put("control", result.control());
        ArrayNode groups = root.putArray("groups");
        for (Group group : result.groups()) {
            groups.addObject().put("name", group.name()).put("share", group.expectedShare());
        }
        ArrayNode metrics = root.putArray("metrics");
        for (PowerResult.MetricPower metric : result.metrics()) {
            ObjectNode node = metrics.addObject();
            node.put("metric", metric.metric());
            node.put("type", metric.type());
            node.put("direction", metric.direction());
            node.put("mean", metric.mean());
            node.put("std_dev", metric.standardDeviation());
            ArrayNode comparisons = node.putArray("comparisons");
            for (PowerResult.ComparisonPower comparison : metric.comparisons()) {
                ObjectNode c = comparisons.addObject();
                c.put("group", comparison.group());
                c.put("control", comparison.control());
                c.put("control_units", comparison.controlUnits());
                c.put("treatment_units", comparison.treatmentUnits());
                c.put("std_error", comparison.standardError());
                c.putObject("mde").put("absolute", comparison.mdeAbsolute()).put("relative", comparison.mdeRelative());
                if (comparison.needed().isPresent()) {
                    PowerResult.Needed needed = comparison.needed().get();
                    c.putObject("needed")
                            .put("absolute_effect", needed.absoluteEffect())
                            .put("control_units", needed.controlUnits())
                            .put("treatment_units", needed.treatmentUnits())
                            .put("units", needed.experimentUnits())
                            .put("days", needed.days());
                }
            }
            ArrayNode warnings = node.putArray("warnings");
            metric.warnings().forEach(warnings::add);
        }
        ArrayNode notes = root.putArray("notes");
        result.notes().forEach(notes::add);
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String table(PowerResult result) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Power for %s (unit %s)%n", result.name(), result.unit()));
        text.append(String.format(Locale.ROOT, "History %s to %s (%d days): %d units, %s new units a day%n",
                result.from(), result.to(), result.windowDays(), result.historicalUnits(), number(result.unitsPerDay())));
        List<String> shares = new ArrayList<>();
        for (Group group : result.groups()) {
            shares.add(String.format(Locale.ROOT, "%s %s%%", group.name(), number(100 * group.expectedShare())));
        }
        boolean target = result.relativeEffect().isPresent();
        text.append(String.format(Locale.ROOT, "Plan: alpha %s, power %s, %s%n", number(result.alpha()),
                number(result.power()), String.join(", ", shares)));
        if (target) {
            text.append(String.format(Locale.ROOT, "Target: a relative effect of %s%%%n",
                    number(100 * result.relativeEffect().getAsDouble())));
        } else {
            text.append(String.format(Locale.ROOT, "Planned units: %d%n", result.plannedUnits()));
        }
        text.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(target
                ? new String[] {"metric", "type", "mean", "unit SD", "group", "effect", "control", "treatment", "units", "days"}
                : new String[] {"metric", "type", "mean", "unit SD", "group", "control", "treatment", "MDE", "MDE %"});
        List<String> warnings = new ArrayList<>();
        for (PowerResult.MetricPower metric : result.metrics()) {
            metric.warnings().forEach(warning -> warnings.add(metric.metric() + ": " + warning));
            if (metric.comparisons().isEmpty()) {
                rows.add(target
                        ? new String[] {metric.metric(), metric.type(), number(metric.mean()), number(metric.standardDeviation()),
                                "-", "-", "-", "-", "-", "-"}
                        : new String[] {metric.metric(), metric.type(), number(metric.mean()), number(metric.standardDeviation()),
                                "-", "-", "-", "-", "-"});
            }
            for (PowerResult.ComparisonPower comparison : metric.comparisons()) {
                if (target) {
                    PowerResult.Needed needed = comparison.needed().orElse(null);
                    rows.add(new String[] {metric.metric(), metric.type(), number(metric.mean()),
                            number(metric.standardDeviation()), comparison.group(),
                            needed == null ? "-" : number(needed.absoluteEffect()),
                            needed == null ? "-" : Long.toString(needed.controlUnits()),
                            needed == null ? "-" : Long.toString(needed.treatmentUnits()),
                            needed == null ? "-" : Long.toString(needed.experimentUnits()),
                            needed == null ? "-" : Long.toString(needed.days())});
                } else {
                    rows.add(new String[] {metric.metric(), metric.type(), number(metric.mean()),
                            number(metric.standardDeviation()), comparison.group(),
                            number(comparison.controlUnits()), number(comparison.treatmentUnits()),
                            number(comparison.mdeAbsolute()),
                            comparison.mdeRelative() == null ? "-" : number(100 * comparison.mdeRelative()) + "%"});
                }
            }
        }
        appendAligned(text, rows);
        if (target) {
            text.append(String.format(Locale.ROOT,
                    "%nunits: over every group, so that control and this group reach their counts at the planned split;"
                            + "%ndays: at the historical rate of new units.%n"));
        }
        if (!warnings.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%nWarnings:%n"));
            warnings.forEach(warning -> text.append("  ").append(warning).append('\n'));
        }
        if (!result.notes().isEmpty()) {
            text.append(String.format(Locale.ROOT, "%nNotes:%n"));
            result.notes().forEach(note -> text.append("  ").append(note).append('\n'));
        }
        return text.toString();
    }

    private static void appendAligned(StringBuilder text, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // the first two columns are names (left-aligned), the rest numbers (right-aligned)
                String cell = i < 2 || (i == 4) ? pad(row[i], widths[i], false) : pad(row[i], widths[i], true);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String pad(String value, int width, boolean right) {
        String padding = " ".repeat(width - value.length());
        return right ? padding + value : value + padding;
    }

    /** Four significant digits, without exponent for everyday magnitudes; {@code -} when undefined. */
    private static String number(Double value) {
        if (value == null) {
            return "-";
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude >= 1e7 || magnitude < 1e-4)) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
