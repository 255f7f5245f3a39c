package dev.pulse.analysis;

import dev.pulse.config.Suggestions;
import dev.pulse.error.PulseException;
import dev.pulse.model.Experiment;
import dev.pulse.model.PulseConfig;
import dev.pulse.plan.AssignmentScan;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.Planner;
import dev.pulse.sql.AssignmentSql;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An experiment whose statement counted no unit in any group it reports has no results: there is
 * nothing to compare and the SRM check has no evidence. The error says why, from what the statement
 * excluded (an ID mapping never drops a unit, only metric rows) and, when it excluded nothing, from the
 * assignment source itself: the experiment name is not
 * in it (with the names it has and a did-you-mean), or none of its exposures fall between start and end
 * (with when they do), or its exposures' groups are not the listed ones (with the groups found).
 */
final class EmptyExperiment {
    /** How many experiment names the diagnosis reads from the assignment source. */
    static final int NAMES_READ = 1000;
    /** How many names or groups a message lists. */
    private static final int LISTED = 10;

    private EmptyExperiment() {}

    /** True when no reported group has a unit. */
    static boolean isEmpty(ExperimentData data) {
        return data.units().values().stream().allMatch(units -> units == 0L);
    }

    /**
     * Why {@code experiment} has no units.
     *
     * @return INPUT_INVALID (exit 2) whose message starts with {@code experiment 'NAME' has no units}
     */
    static PulseException explain(PulseConfig config, Experiment experiment, ExperimentData data, Warehouse warehouse) {
        ExperimentPlan plan = Planner.plan(config, experiment.name());
        AssignmentScan scan = plan.assignment();
        String name = experiment.name().value();
        String window = experiment.start() + " to " + experiment.end().map(Object::toString).orElse("today");
        String prefix = "experiment '" + name + "' has no units, so it has no results and no SRM check: ";
        String why;
        if (data.excludedNotTriggered() > 0) {
            why = "none of its " + data.excludedNotTriggered() + " exposed unit(s) has a qualifying row of trigger source '"
                    + plan.trigger().orElseThrow().source() + "' between its first exposure and the end (is the"
                    + " trigger's filter right, and does the source cover these dates?)";
        } else if (data.excludedUnknownGroup() > 0) {
            List<String> found = groups(plan, warehouse);
            List<String> listed = experiment.groups().stream().map(dev.pulse.model.Group::name).toList();
            why = "its " + data.excludedUnknownGroup() + " exposed unit(s) are all in groups that 'groups' does not list"
                    + " (listed: " + String.join(", ", listed) + "; in the data: " + listing(found)
                    + hints(listed, found) + ")";
        } else if (data.excludedMultipleGroups() > 0) {
            why = "all its " + data.excludedMultipleGroups() + " exposed unit(s) were exposed to more than one group"
                    + " and are excluded";
        } else {
            why = fromNames(scan, name, window, warehouse);
        }
        return new PulseException(PulseException.Category.INPUT_INVALID, prefix + why);
    }

    /** Why there are no exposures: the name is not in the source, or not in the window. */
    private static String fromNames(AssignmentScan scan, String name, String window, Warehouse warehouse) {
        SourceSetup.prepare(scan.source(), scan.relation(), warehouse);
        QueryResult result = warehouse.query(AssignmentSql.of(Dialects.forEngine(warehouse.engine()))
                .experiments(scan, NAMES_READ));
        List<String> names = new ArrayList<>();
        Optional<QueryResult.Row> own = Optional.empty();
        for (QueryResult.Row row : result.rows()) {
            String value = row.getString(AssignmentSql.EXPERIMENT);
            names.add(value);
            if (value.equals(name)) {
                own = Optional.of(row);
            }
        }
        String source = "assignment source '" + scan.source() + "'";
        if (own.isPresent()) {
            return source + " has no exposure of it with a unit ID and a group from " + window + "; its exposures run from "
                    + day(own.get().get(AssignmentSql.FIRST)) + " to " + day(own.get().get(AssignmentSql.LAST))
                    + " (check start and end)";
        }
        if (names.isEmpty()) {
            return source + " has no rows with an experiment name (column '" + scan.experimentColumn() + "')";
        }
        return source + " has no rows for experiment '" + name + "' in column '" + scan.experimentColumn() + "' ("
                + Suggestions.closest(name, names).map(match -> "did you mean '" + match + "'? ").orElse("")
                + "it has: " + listing(names) + ")";
    }

    private static List<String> groups(ExperimentPlan plan, Warehouse warehouse) {
        SourceSetup.prepare(plan.assignment().source(), plan.assignment().relation(), warehouse);
        QueryResult result = warehouse.query(AssignmentSql.of(Dialects.forEngine(warehouse.engine()))
                .groups(plan.assignment(), plan.experiment().value(), plan.window(), LISTED + 1));
        return result.rows().stream().map(row -> row.getString(AssignmentSql.GROUP)).toList();
    }

    /** "did you mean" for each listed group that is a near miss of a group found. */
    private static String hints(List<String> listed, List<String> found) {
        StringBuilder hints = new StringBuilder();
        for (String group : listed) {
            Suggestions.closest(group, found).ifPresent(match -> hints.append("; '").append(group)
                    .append("': did you mean '").append(match).append("'?"));
        }
        return hints.toString();
    }

    private static String listing(List<String> values) {
        if (values.isEmpty()) {
            return "none";
        }
        List<String> shown = values.stream().limit(LISTED).map(Suggestions::shortened).toList();
        return String.join(", ", shown) + (values.size() > LISTED ? ", … (" + values.size() + "+ in all)" : "");
    }

    /** The day of a timestamp value as the warehouse returned it. */
    private static String day(Object timestamp) {
        String text = String.valueOf(timestamp);
        return text.length() >= 10 && text.charAt(4) == '-' ? text.substring(0, 10) : text;
    }
}
