package dev.pulse.analysis;

import dev.pulse.error.PulseException;
import dev.pulse.model.Group;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.stats.Direction;
import dev.pulse.stats.GroupMoments;
import dev.pulse.stats.Power;
import dev.pulse.warehouse.Warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Power and minimum detectable effect from historical data (Kohavi, Tang &amp; Xu 2020, ch. 17): each
 * metric's per-unit variance is estimated on a historical window by the same plan and SQL as an
 * experiment, over the {@link HistoricalPopulation} in one group, and {@link Power} turns it into the
 * MDE at the planned size and split or the units and days needed for a target effect.
 *
 * <p>Per treatment, the comparison with the control uses the two groups' planned shares
 * {@code s_c, s_t} of the planned total N: {@code n_c = s_c·N}, {@code n_t = s_t·N} (expected counts, not
 * rounded) and {@code MDE = k·σ·√(1/n_c + 1/n_t)}; with more than one treatment that is {@link Power}'s
 * MDE for N units split {@code w = s_t/(s_c + s_t)}, divided by {@code √(s_c + s_t)} as the pair has
 * {@code (s_c + s_t)·N} units. For a target relative effect θ the pair needs
 * {@code N_pair = k²σ²/(w(1 − w)(θ·mean)²)} units with {@code w = s_t/(s_c + s_t)}; the whole experiment
 * needs {@code ⌈N_pair/(s_c + s_t)⌉} (just the pair's units when there are two groups), and
 * {@code ⌈units/rate⌉} days at the historical daily rate of new units. σ² is assumed equal in every group
 * and the same as in the history.
 */
public final class PowerAnalysis {

    /** Relative slack for "the two groups' shares sum to 1" and for rounding up. */
    private static final double SLACK = 1e-12;

    private PowerAnalysis() {}

    /**
     * Fetches the historical moments of {@code request} from {@code warehouse} and computes the result.
     *
     * @throws PulseException WAREHOUSE_FAILED naming the failing source; INPUT_INVALID when the window
     *                        holds fewer than 2 units
     */
    public static PowerResult analyze(PulseConfig config, PowerRequest request, Warehouse warehouse) {
        Dialect dialect = Dialects.forEngine(warehouse.engine());
        PulseConfig historical = HistoricalPopulation.config(config, request, dialect);
        // the historical population's query reads the metric sources' relations: set them up first
        HistoricalPopulation.sources(config, request)
                .forEach(source -> SourceSetup.prepare(source.name(), source.relation(), warehouse));
        ExperimentData data;
        try {
            data = MomentsFetcher.fetch(historical, request.name(), warehouse);
        } catch (PulseException e) {
            if (e.category() != PulseException.Category.WAREHOUSE_FAILED) {
                throw e;
            }
            throw culprit(config, request, dialect, warehouse, e);
        }
        return results(config, request, data);
    }

    /** The statement {@link #analyze} runs, in {@code config}'s warehouse dialect. */
    public static String sql(PulseConfig config, PowerRequest request) {
        Dialect dialect = Dialects.forEngine(config.warehouse().engine());
        return MomentsFetcher.sql(HistoricalPopulation.config(config, request, dialect), request.name());
    }

    /**
     * The result for historical moments already fetched (group {@value HistoricalPopulation#GROUP}): pure.
     *
     * @throws PulseException INPUT_INVALID when the history holds fewer than 2 units
     */
    public static PowerResult results(PulseConfig config, PowerRequest request, ExperimentData data) {
        long historicalUnits = data.units().getOrDefault(HistoricalPopulation.GROUP, 0L);
        if (historicalUnits < 2) {
            List<String> sources = HistoricalPopulation.sources(config, request).stream()
                    .map(source -> source.name().value()).toList();
            throw new PulseException(PulseException.Category.INPUT_INVALID, String.format(
                    "%s: %s historical unit%s: %s %s of %s has a row between %s and %s (UTC, both inclusive), and "
                            + "a variance needs at least 2; choose a window with data with --from and --to",
                    request.name(), historicalUnits == 0 ? "no" : "only " + historicalUnits,
                    historicalUnits == 1 ? "" : "s", historicalUnits == 0 ? "no" : "only one",
                    request.unit(), String.join(", ", sources), request.from(), request.to()));
        }
        double unitsPerDay = (double) historicalUnits / request.windowDays();
        long plannedUnits = request.plannedUnits().orElse(historicalUnits);
        List<String> notes = new ArrayList<>(request.notes());
        if (request.plannedUnits().isEmpty()) {
            notes.add("planned units: the " + historicalUnits + " historical units of the " + request.windowDays()
                    + "-day window (choose with --units)");
        }
        List<PowerResult.MetricPower> metrics = new ArrayList<>();
        for (MetricName name : request.metrics()) {
            Metric metric = config.metric(name);
            GroupMoments moments = data.moments().getOrDefault(name, java.util.Map.of()).get(HistoricalPopulation.GROUP);
            metrics.add(metric(metric, moments, request, plannedUnits, unitsPerDay));
        }
        return new PowerResult(request.name().value(), request.unit().value(), request.from(), request.to(),
                request.windowDays(), historicalUnits, unitsPerDay, plannedUnits, request.alpha(), request.power(),
                request.relativeEffect(), request.control(), request.groups(), metrics, notes, data.sql());
    }

    private static PowerResult.MetricPower metric(Metric metric, GroupMoments moments, PowerRequest request,
                                                  long plannedUnits, double unitsPerDay) {
        Direction direction = direction(metric);
        String directionName = metric.options().direction().configName();
        List<String> warnings = new ArrayList<>();
        if (moments == null) {
            // a percentile or funnel metric: its values come from its own statement, which power does not run
            warnings.add("pulse power does not size a " + metric.type().configName() + " metric: no mean, no"
                    + " per-unit variance, no MDE");
            return new PowerResult.MetricPower(metric.name().value(), metric.type().configName(), directionName,
                    null, null, List.of(), warnings);
        }
        if (moments.meanY() == 0.0) {
            warnings.add("the historical denominator mean is 0: no mean, no per-unit variance, no MDE");
            return new PowerResult.MetricPower(metric.name().value(), metric.type().configName(), directionName,
                    null, null, List.of(), warnings);
        }
        double mean = moments.value();
        double sigmaSquared;
        try {
            sigmaSquared = Power.unitVariance(moments);
        } catch (IllegalArgumentException e) {
            warnings.add("the per-unit variance is undefined: " + e.getMessage());
            return new PowerResult.MetricPower(metric.name().value(), metric.type().configName(), directionName,
                    Double.isFinite(mean) ? mean : null, null, List.of(), warnings);
        }
        if (sigmaSquared == 0.0) {
            warnings.add("the metric does not vary over the historical units: any effect is detectable, "
                    + "and no sample size can be worked out");
        }
        if (mean == 0.0) {
            warnings.add("the historical mean is 0: no relative MDE" + (request.relativeEffect().isPresent()
                    ? ", and a relative effect of it is 0: no sample size" : ""));
        }
        List<PowerResult.ComparisonPower> comparisons = new ArrayList<>();
        double controlShare = request.share(request.control());
        for (Group group : request.groups()) {
            if (group.name().equals(request.control())) {
                continue;
            }
            double treatmentShare = group.expectedShare();
            double pairShare = controlShare + treatmentShare;
            // Power's MDE for N units split w : 1 − w, rescaled to the pair's N·(s_c + s_t) units
            Power.MinimumDetectableEffect mde = Power.minimumDetectableEffect(sigmaSquared, mean, plannedUnits,
                    treatmentShare / pairShare, request.alpha(), request.power(), direction);
            double scale = 1.0 / Math.sqrt(pairShare);
            double controlUnits = controlShare * plannedUnits;
            double treatmentUnits = treatmentShare * plannedUnits;
            Double standardError = mde.standardError() * scale;
            Double absolute = mde.absolute() * scale;
            Double relative = mde.relative() == null ? null : mde.relative() * scale;
            Optional<PowerResult.Needed> needed = Optional.empty();
            if (request.relativeEffect().isPresent() && sigmaSquared > 0.0 && mean != 0.0) {
                needed = Optional.of(needed(sigmaSquared, mean, request, direction, controlShare, treatmentShare,
                        unitsPerDay));
            }
            comparisons.add(new PowerResult.ComparisonPower(group.name(), request.control(), controlUnits,
                    treatmentUnits, standardError, absolute, relative, needed));
        }
        return new PowerResult.MetricPower(metric.name().value(), metric.type().configName(), directionName,
                mean, Math.sqrt(sigmaSquared), comparisons, warnings);
    }

    private static PowerResult.Needed needed(double sigmaSquared, double mean, PowerRequest request,
                                             Direction direction, double controlShare, double treatmentShare, double unitsPerDay) {
        double pairShare = controlShare + treatmentShare;
        double relativeEffect = request.relativeEffect().getAsDouble();
        Power.SampleSize size = Power.unitsNeeded(sigmaSquared, mean, relativeEffect, treatmentShare / pairShare,
                request.alpha(), request.power(), direction);
        long experimentUnits = Math.abs(pairShare - 1.0) <= SLACK
                ? size.totalUnits()
                : roundUp(size.totalUnits() / pairShare);
        return new PowerResult.Needed(Math.abs(relativeEffect * mean), size.controlUnits(), size.treatmentUnits(),
                experimentUnits, Power.daysNeeded(experimentUnits, unitsPerDay));
    }

    private static Direction direction(Metric metric) {
        return switch (metric.options().direction()) {
            case TWO_SIDED -> Direction.TWO_SIDED;
            case INCREASE -> Direction.INCREASE;
            case DECREASE -> Direction.DECREASE;
        };
    }

    private static long roundUp(double value) {
        double nearest = Math.rint(value);
        if (Math.abs(value - nearest) <= SLACK * Math.max(1.0, Math.abs(value))) {
            return (long) nearest;
        }
        return (long) Math.ceil(value);
    }

    /**
     * After a failed statement: the first metric source whose unit or timestamp column cannot be read,
     * named with where it lives; otherwise the fetcher's own diagnosis (a metric's value or filter).
     */
    private static PulseException culprit(PulseConfig config, PowerRequest request, Dialect dialect,
                                          Warehouse warehouse, PulseException failure) {
        SqlRenderer renderer = SqlRenderer.of(dialect);
        for (Source source : HistoricalPopulation.sources(config, request)) {
            String probe = renderer.probeColumns(source.relation(),
                    List.of(source.idColumn(request.unit()).orElseThrow(), source.timestampColumn()));
            try {
                warehouse.query(probe);
            } catch (PulseException e) {
                String message = e.getMessage();
                int excerpt = message.indexOf("\n\nLINE ");
                return new PulseException(PulseException.Category.WAREHOUSE_FAILED, "source '" + source.name()
                        + "' (" + where(source.relation()) + "): " + (excerpt < 0 ? message : message.substring(0, excerpt)),
                        failure);
            }
        }
        return failure;
    }

    private static String where(Relation relation) {
        if (relation instanceof Relation.Files files) {
            return files.location();
        } else if (relation instanceof Relation.Table table) {
            return "table " + String.join(".", table.nameParts());
        }
        return "sql query";
    }
}
