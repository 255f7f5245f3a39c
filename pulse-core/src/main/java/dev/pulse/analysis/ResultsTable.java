package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.SequentialMethod;
import dev.pulse.model.TableName;
import dev.pulse.sql.BoundStatement;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.stats.AlwaysValidInference;
import dev.pulse.stats.Comparison;
import dev.pulse.stats.Interval;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Transaction;
import dev.pulse.warehouse.Warehouse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The results in long form for the warehouse's results table ({@code warehouse: {results_table: …}}):
 * one row per (experiment, metric, group, statistic) with its value, tagged with the run's id and
 * time. Writing replaces every row of the analysed experiments in one transaction; rows of other
 * experiments stay. A failed or killed run leaves the table as it was.
 *
 * <p>On an engine without transactions (Spark) the table is partitioned by experiment and one
 * {@code INSERT OVERWRITE} replaces the analysed experiments' partitions: other experiments' rows stay, and a
 * job that fails before its commit leaves the old partitions, but readers may see an experiment missing while
 * the commit moves its files (docs/spark.md).
 *
 * <p>On an engine with neither (Trino: each statement commits on its own, and connectors such as memory have no
 * {@code DELETE}) the table is rebuilt beside itself: the other experiments' rows and this run's go into a table of
 * the run's own name, which is then renamed over the old one (docs/trino.md). A failure before the swap leaves the
 * old table; between its DROP and the RENAME there is a moment without the table.
 */
public final class ResultsTable {
    private ResultsTable() {}

    /**
     * One figure. {@code metric} is null for experiment- and group-level figures, {@code group} for
     * experiment-level ones; {@code value} is null where the figure is undefined
     * (docs/statistics.md#undefined-cases), and a flag is 1 or 0.
     */
    public record Row(String experiment, String metric, String group, String statistic, Double value) {
        public Row {
            Objects.requireNonNull(experiment);
            Objects.requireNonNull(statistic);
        }
    }

    /** The rows of one experiment's results, in a stable order: pure. */
    public static List<Row> rows(ExperimentResult result) {
        List<Row> rows = new ArrayList<>();
        String experiment = result.experiment();
        rows.add(new Row(experiment, null, null, "alpha", result.alpha()));
        rows.add(new Row(experiment, null, null, "excluded_multiple_groups", (double) result.excludedMultipleGroups()));
        rows.add(new Row(experiment, null, null, "excluded_unknown_group", (double) result.excludedUnknownGroup()));
        result.excludedNotTriggered().ifPresent(units ->
                rows.add(new Row(experiment, null, null, "excluded_not_triggered", (double) units)));
        result.srm().ifPresent(srm -> {
            rows.add(new Row(experiment, null, null, "srm_chi_square", srm.chiSquare()));
            rows.add(new Row(experiment, null, null, "srm_p_value", srm.pValue()));
            rows.add(new Row(experiment, null, null, "srm_passed", flag(srm.passed())));
        });
        for (ExperimentResult.GroupCount group : result.groups()) {
            rows.add(new Row(experiment, null, group.name(), "units", (double) group.units()));
            rows.add(new Row(experiment, null, group.name(), "expected_share", group.expectedShare()));
        }
        for (MetricResult metric : result.metrics()) {
            if (metric.comparisons().isEmpty()) {
                continue;
            }
            Comparison first = metric.comparisons().get(0).statistics();
            String control = metric.comparisons().get(0).control();
            rows.add(new Row(experiment, metric.metric(), control, "units", (double) first.controlUnits()));
            rows.add(new Row(experiment, metric.metric(), control, "mean", first.controlMean()));
            for (MetricResult.GroupComparison comparison : metric.comparisons()) {
                Figures figures = new Figures(rows, experiment, metric.metric(), comparison.group());
                Comparison plain = comparison.statistics();
                figures.add("units", (double) plain.treatmentUnits());
                figures.add("mean", plain.treatmentMean());
                figures.comparison("", plain);
                comparison.cuped().ifPresent(cuped -> {
                    figures.add("cuped_theta", cuped.theta());
                    if (!cuped.covariates().isEmpty()) {
                        figures.add("cuped_covariates_used", (double) cuped.covariatesUsed());
                    }
                    figures.add("cuped_variance_reduction", cuped.varianceReduction());
                    figures.comparison("cuped_", cuped.adjusted());
                });
                comparison.corrected().ifPresent(corrected -> {
                    figures.add("corrected_family_size", (double) corrected.familySize());
                    figures.add("corrected_p_value", corrected.pValue());
                    figures.add("corrected_significant", flag(corrected.significant()));
                    figures.interval("corrected_absolute_", corrected.absolute());
                    figures.interval("corrected_relative_", corrected.relative());
                });
                comparison.sequential().ifPresent(sequential -> {
                    AlwaysValidInference.SequentialComparison test = sequential.result();
                    figures.interval("sequential_absolute_", test.absolute().interval());
                    figures.interval("sequential_relative_", test.relative().interval());
                    figures.add("sequential_p_value", test.absolute().pValue());
                    figures.add("sequential_significant", flag(test.absolute().significant()));
                    if (sequential.method() == SequentialMethod.GROWTHBOOK) {
                        figures.add("sequential_growthbook_tuning", sequential.parameter());
                    }
                });
                comparison.bayesian().ifPresent(bayesian -> {
                    figures.interval("bayesian_relative_", bayesian.result().posterior());
                    figures.add("bayesian_chance_to_beat_control", bayesian.result().chanceToBeatControl());
                    figures.add("bayesian_expected_loss_treatment", bayesian.result().expectedLossTreatment());
                    figures.add("bayesian_expected_loss_control", bayesian.result().expectedLossControl());
                });
                figures.add("decision_significant", flag(comparison.significant()));
            }
            for (MetricResult.Step step : metric.steps()) {
                // a funnel step: its plain comparison, as statistics step_<name>_…
                String prefix = "step_" + step.step() + "_";
                rows.add(new Row(experiment, metric.metric(), control, prefix + "mean",
                        step.comparisons().isEmpty() ? null : step.comparisons().get(0).statistics().controlMean()));
                for (MetricResult.GroupComparison comparison : step.comparisons()) {
                    Figures figures = new Figures(rows, experiment, metric.metric(), comparison.group());
                    figures.add(prefix + "mean", comparison.statistics().treatmentMean());
                    figures.comparison(prefix, comparison.statistics());
                }
            }
        }
        return rows;
    }

    /**
     * Replaces the rows of every experiment in {@code results} with this run's, in one transaction (on Spark,
     * one partition overwrite); creates the table (and its schema, for {@code schema.table}) when missing.
     *
     * @throws PulseException WAREHOUSE_FAILED naming the table when the warehouse refuses the write, or on Spark
     *                        when an existing table is not one whose overwrite keeps other experiments' rows;
     *                        the table is then as it was before
     */
    public static void write(TableName table, String runId, Instant runAt, List<ExperimentResult> results,
                             Warehouse warehouse) {
        Dialect dialect = Dialects.forEngine(warehouse.engine());
        TableStatements statements = TableStatements.of(dialect);
        if (dialect.partitionOverwrite().isEmpty() && !dialect.transactionalDdl()) {
            rebuild(statements, table, runId, runAt, results, warehouse);
            return;
        }
        try {
            if (dialect.partitionOverwrite().isPresent()) {
                overwritePartitions(statements, table, runId, runAt, results, warehouse);
            } else {
                replaceInTransaction(statements, table, runId, runAt, results, warehouse);
            }
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED,
                    "cannot write results table " + table + " (it is left as it was): " + e.getMessage(), e);
        }
    }

    private static void replaceInTransaction(TableStatements statements, TableName table, String runId, Instant runAt,
                                             List<ExperimentResult> results, Warehouse warehouse) {
        List<String> schema = statements.createSchema(table);
        if (!schema.isEmpty()) {
            warehouse.transaction(transaction -> schema.forEach(transaction::execute));
        }
        warehouse.transaction(transaction -> replace(statements, table, runId, runAt, results, transaction));
    }

    /**
     * Replaces the rows of every experiment in {@code results} inside {@code transaction}, which also holds other
     * writes (an incremental refresh's state): for an engine with transactional DDL, after the schema of a
     * {@code schema.table} name exists ({@link TableStatements#createSchema}, in a transaction of its own).
     */
    public static void writeIn(Transaction transaction, Dialect dialect, TableName table, String runId, Instant runAt,
                               List<ExperimentResult> results) {
        replace(TableStatements.of(dialect), table, runId, runAt, results, transaction);
    }

    private static void replace(TableStatements statements, TableName table, String runId, Instant runAt,
                                List<ExperimentResult> results, Transaction transaction) {
        LocalDateTime at = LocalDateTime.ofInstant(runAt, ZoneOffset.UTC);
        List<List<Object>> experiments = new ArrayList<>();
        List<List<Object>> values = new ArrayList<>();
        for (ExperimentResult result : results) {
            experiments.add(List.of(result.experiment()));
            for (Row row : rows(result)) {
                values.add(Arrays.asList(runId, at, row.experiment(), row.metric(), row.group(), row.statistic(), row.value()));
            }
        }
        // a second run writing the table waits here until this one commits, then deletes what it committed
        statements.lockForWriting(table).forEach(transaction::execute);
        transaction.execute(statements.createResultsTable(table));
        transaction.executeBatch(statements.deleteExperiment(table), experiments);
        transaction.executeBatch(statements.insertResult(table), values);
    }

    /** Rows per INSERT of a rebuild: 7 parameters each. */
    private static final int REBUILD_CHUNK = 500;

    /**
     * An engine without transactions or partition overwrite (Trino): builds {@code <table>__pulse_new_<run>} from the
     * other experiments' rows and this run's (each value a parameter, a few hundred rows per statement), then drops
     * the table and renames the new one over it ({@link TableStatements#replaceTable}).
     */
    private static void rebuild(TableStatements statements, TableName table, String runId, Instant runAt,
                                List<ExperimentResult> results, Warehouse warehouse) {
        if (results.isEmpty()) {
            return;
        }
        LocalDateTime at = LocalDateTime.ofInstant(runAt, ZoneOffset.UTC);
        List<String> experiments = new ArrayList<>();
        List<List<Object>> values = new ArrayList<>();
        for (ExperimentResult result : results) {
            experiments.add(result.experiment());
            for (Row row : rows(result)) {
                values.add(Arrays.asList(runId, at, row.experiment(), row.metric(), row.group(), row.statistic(), row.value()));
            }
        }
        String run = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TableStatements.Replacement replacement = statements.replaceTable(table,
                statements.otherExperimentsResults(table, experiments), run);
        try {
            statements.createSchema(table).forEach(warehouse::execute);
            warehouse.execute(statements.createResultsTable(table));
            replacement.build().forEach(warehouse::execute);
            for (int from = 0; from < values.size(); from += REBUILD_CHUNK) {
                List<List<Object>> chunk = values.subList(from, Math.min(values.size(), from + REBUILD_CHUNK));
                List<Object> parameters = new ArrayList<>();
                chunk.forEach(parameters::addAll);
                warehouse.execute(statements.insertResults(replacement.built(), chunk.size()), parameters);
            }
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            try {
                warehouse.execute(statements.dropTable(replacement.built()));
            } catch (PulseException cleanup) {
                // left under this run's name, where it blocks nothing; the failure is the one to report
            }
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED,
                    "cannot write results table " + table + " (it is left as it was): " + e.getMessage(), e);
        }
        try {
            replacement.swap().forEach(warehouse::execute);
        } catch (PulseException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "cannot write results table " + table
                    + " (its new rows are in " + replacement.built() + "; the previous table may be gone): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Spark: creates the partitioned table when missing, refuses an existing table whose overwrite could delete
     * other experiments' rows or fill the wrong columns (checked before anything is written), then overwrites the
     * analysed experiments' partitions in one statement — one Spark job, whose commit replaces them.
     */
    private static void overwritePartitions(TableStatements statements, TableName table, String runId, Instant runAt,
                                            List<ExperimentResult> results, Warehouse warehouse) {
        if (results.isEmpty()) {
            return; // nothing to replace; an empty overwrite would not know which partitions are meant
        }
        // Spark's timestamp literals are whole seconds; the run's id, not its time, tells runs apart
        Instant at = runAt.truncatedTo(ChronoUnit.SECONDS);
        List<String> columns = statements.resultColumns();
        List<List<Object>> values = new ArrayList<>();
        for (ExperimentResult result : results) {
            for (Row row : rows(result)) {
                Map<String, Object> byColumn = new HashMap<>();
                byColumn.put("run_id", runId);
                byColumn.put("run_at", at);
                byColumn.put("experiment", row.experiment());
                byColumn.put("metric", row.metric());
                byColumn.put("group_name", row.group());
                byColumn.put("statistic", row.statistic());
                byColumn.put("value", row.value());
                values.add(columns.stream().map(byColumn::get).toList());
            }
        }
        statements.createSchema(table).forEach(warehouse::execute);
        warehouse.execute(statements.createResultsTable(table));
        List<List<String>> description = new ArrayList<>();
        for (QueryResult.Row row : warehouse.query(statements.describeResultsTable(table)).rows()) {
            description.add(row.values().values().stream().map(value -> value == null ? null : value.toString()).toList());
        }
        Optional<String> problem = statements.resultsTableProblem(description);
        if (problem.isPresent()) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "Pulse replaces an experiment's rows by "
                    + "overwriting its partition, which is safe only in a table it creates ("
                    + statements.resultsTableRequirement() + "), but " + problem.get()
                    + "; drop the table or name another results_table");
        }
        BoundStatement overwrite = statements.overwriteResults(table, values);
        warehouse.execute(overwrite.sql(), overwrite.parameters());
    }

    private static Double flag(boolean value) {
        return value ? 1.0 : 0.0;
    }

    /** Adds the figures of one treatment group of one metric. */
    private record Figures(List<Row> rows, String experiment, String metric, String group) {
        void add(String statistic, Double value) {
            rows.add(new Row(experiment, metric, group, statistic, value));
        }

        void comparison(String prefix, Comparison comparison) {
            interval(prefix + "absolute_", comparison.absolute());
            interval(prefix + "relative_", comparison.relative());
            add(prefix + "degrees_of_freedom", comparison.degreesOfFreedom());
            add(prefix + "p_value", comparison.pValue());
            add(prefix + "significant", flag(comparison.significant()));
        }

        void interval(String prefix, Interval interval) {
            add(prefix + "estimate", interval.estimate());
            add(prefix + "std_error", interval.stdError());
            add(prefix + "ci_lower", interval.lower());
            add(prefix + "ci_upper", interval.upper());
        }
    }
}
