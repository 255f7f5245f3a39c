package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.SourceName;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.Planner;
import dev.pulse.plan.SourcePass;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before a statement runs: the setup its file sources need in the warehouse's dialect
 * ({@link Dialect#fileSetup}; Spark registers each CSV source as a temporary view, DuckDB needs none).
 * Every fetcher prepares the sources it reads, so that any of them can run first; the warehouse runs a
 * setup once per connection ({@link Warehouse#setUp}).
 */
public final class SourceSetup {
    private SourceSetup() {}

    /** The setup statements of every source {@code experiment} reads, in the config's dialect: for {@code pulse sql}. */
    public static List<String> sql(PulseConfig config, ExperimentName experiment) {
        Dialect dialect = Dialects.forEngine(config.warehouse().engine());
        Map<SourceName, Relation> sources = sources(Planner.plan(config, experiment));
        for (MetricName metric : config.experiment(experiment).metrics()) {
            MetricFamilies.ownSources(config, experiment, metric).forEach(sources::putIfAbsent);
        }
        List<String> statements = new ArrayList<>();
        sources.values().forEach(relation -> statements.addAll(setup(dialect, relation)));
        return statements;
    }

    /** Prepares every source of {@code plan}: its assignment, ID mapping and metric sources. */
    static void prepare(ExperimentPlan plan, Warehouse warehouse) {
        sources(plan).forEach((source, relation) -> prepare(source, relation, warehouse));
    }

    /**
     * Prepares one source.
     *
     * @throws PulseException WAREHOUSE_FAILED naming the source and where it lives when the setup fails
     *                        (a CSV path that does not exist, on Spark)
     */
    static void prepare(SourceName source, Relation relation, Warehouse warehouse) {
        List<String> statements = setup(Dialects.forEngine(warehouse.engine()), relation);
        if (statements.isEmpty()) {
            return;
        }
        try {
            warehouse.setUp(statements);
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED,
                    "source '" + source + "' (" + ((Relation.Files) relation).location() + "): " + e.getMessage(), e);
        }
    }

    private static List<String> setup(Dialect dialect, Relation relation) {
        return relation instanceof Relation.Files files ? dialect.fileSetup(files) : List.of();
    }

    private static Map<SourceName, Relation> sources(ExperimentPlan plan) {
        Map<SourceName, Relation> sources = new LinkedHashMap<>();
        sources.put(plan.assignment().source(), plan.assignment().relation());
        plan.idMapping().ifPresent(mapping -> sources.putIfAbsent(mapping.source(), mapping.relation()));
        plan.trigger().ifPresent(trigger -> sources.putIfAbsent(trigger.source(), trigger.relation()));
        for (SourcePass pass : plan.passes()) {
            sources.putIfAbsent(pass.source(), pass.relation());
        }
        return sources;
    }
}
