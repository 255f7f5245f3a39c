package dev.pulse.analysis;

import static dev.pulse.plan.TestModel.aggregate;
import static dev.pulse.plan.TestModel.assignment;
import static dev.pulse.plan.TestModel.experiment;
import static dev.pulse.plan.TestModel.mean;
import static dev.pulse.plan.TestModel.metricSource;
import static dev.pulse.plan.TestModel.percentile;
import static dev.pulse.plan.TestModel.ratio;
import static dev.pulse.plan.TestModel.sum;
import static dev.pulse.plan.TestModel.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.AggregateFunction;
import dev.pulse.model.AnalysisOptions;
import dev.pulse.model.Cuped;
import dev.pulse.model.Dimensions;
import dev.pulse.model.Direction;
import dev.pulse.model.Experiment;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.Metric;
import dev.pulse.model.MetricOptions;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.model.Winsorization;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.TestModel;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.TestPostgres;
import dev.pulse.warehouse.Warehouse;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Values large against their spread (issue 10, §3): the same data analysed with an offset added to
 * every row value, for offsets 0, 10⁶, 10⁹, 10¹² and −10⁹, gives standard errors that agree to 1e-6
 * relative with
 * <ul>
 *   <li>an independent reference: the delta-method standard error computed in {@link BigDecimal} from the
 *       per-unit sums of the raw rows this test generates ({@link #reference}), for {@code mean}, {@code sum},
 *       a {@code ratio} with large values in numerator and denominator, and a {@code ratio} whose denominator
 *       alone is large;</li>
 *   <li>the offset-free analysis, for metrics whose results the offset does not change: the {@code mean}
 *       of {@code amount + offset} (every comparison's absolute lift, standard error, interval and p-value,
 *       plain, CUPED-adjusted, per day and per dimension value), the {@code sum} of {@code balance + offset}
 *       over the one snapshot row of every unit, also winsorized, and the 90th percentile of
 *       {@code amount + offset}.</li>
 * </ul>
 * Every row value is a multiple of 1/8 below 10⁴, so that it and every unit's sum are exact doubles at every
 * offset: what the warehouse reads is exactly what the reference reads. The data is seeded
 * ({@value #SEED}).
 *
 * <p>The same checks run on PostgreSQL here and on Spark in {@code SparkLargeValuesTest}.
 */
class LargeValuesTest {
    static final long SEED = 20261206L;
    static final ExperimentName EXP = new ExperimentName("exp");
    /** The offsets as SQL literals and their metric-name suffixes. */
    static final List<String[]> OFFSETS = List.of(
            new String[] {"0", "0"},
            new String[] {"1000000", "6"},
            new String[] {"1000000000", "9"},
            new String[] {"1000000000000", "12"},
            new String[] {"-1000000000", "m9"});
    private static final double SE_RELATIVE = 1e-6;
    private static final LocalDateTime START = LocalDateTime.of(2026, 3, 10, 0, 0);
    private static final LocalDateTime END = LocalDateTime.of(2026, 3, 14, 0, 0);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row of the events table; {@code amount} is a purchase amount or a snapshot balance. */
    record Event(int org, LocalDateTime ts, String event, double amount, double weight) {}

    /** One exposure. */
    record Exposure(int org, String group, LocalDateTime ts, String country) {}

    Warehouse warehouse;

    @BeforeEach
    void createData() {
        warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb());
        load(warehouse, "CREATE TABLE %s AS SELECT * FROM (VALUES %s) AS t(%s)", "CAST(%s AS DOUBLE)");
    }

    @AfterEach
    void close() {
        if (warehouse != null) {
            warehouse.close();
        }
    }

    /**
     * Writes the exposures and events tables with {@code create} (a format of name, VALUES rows and
     * column names) and doubles written with {@code doubleLiteral} (a format of the decimal text).
     */
    static void load(Warehouse warehouse, String create, String doubleLiteral) {
        List<String> rows = new ArrayList<>();
        for (Exposure e : exposures()) {
            rows.add("('exp', '" + e.group() + "', " + e.org() + ", TIMESTAMP '" + timestamp(e.ts()) + "', '"
                    + e.country() + "')");
        }
        warehouse.execute(String.format(create, "exposures", String.join(",\n", rows), "exp_name, variant, org, ts, country"));
        rows.clear();
        for (Event e : events()) {
            rows.add("(" + e.org() + ", TIMESTAMP '" + timestamp(e.ts()) + "', '" + e.event() + "', "
                    + String.format(doubleLiteral, BigDecimal.valueOf(e.amount()).toPlainString()) + ", "
                    + String.format(doubleLiteral, BigDecimal.valueOf(e.weight()).toPlainString()) + ")");
        }
        warehouse.execute(String.format(create, "events", String.join(",\n", rows), "org, ts, event, amount, weight"));
    }

    private static String timestamp(LocalDateTime ts) {
        return ts.toString().replace('T', ' ') + (ts.getSecond() == 0 ? ":00" : "");
    }

    /** 240 orgs, even ones in control, first exposed on one of the window's 4 days (both groups every day). */
    static List<Exposure> exposures() {
        List<Exposure> exposures = new ArrayList<>();
        for (int org = 1; org <= 240; org++) {
            exposures.add(new Exposure(org, org % 2 == 0 ? "control" : "treat",
                    START.plusDays(org / 2 % 4).plusHours(org % 7), List.of("de", "fr", "us").get(org % 3)));
        }
        return exposures;
    }

    /**
     * Per org: 0–5 purchases from its exposure to the end (amount a multiple of 1/8 below 1000, 5 more in
     * treatment; weight 1 to 11 in eighths), 0–2 purchases in the 3 days before its exposure (CUPED's
     * pre-period), one snapshot row at its exposure (balance a multiple of 1/8 below 10⁴), and one tick row
     * on every day from its exposure's (a multiple of 1/8 below 1000): on the first day, when only the orgs
     * first exposed that day count, every unit's sum of ticks is one value plus the offset.
     */
    static List<Event> events() {
        Random random = new Random(SEED);
        List<Event> events = new ArrayList<>();
        for (Exposure exposure : exposures()) {
            double effect = exposure.group().equals("treat") ? 5 : 0;
            long minutes = Duration.between(exposure.ts(), END).toMinutes();
            int purchases = random.nextInt(6);
            for (int k = 0; k < purchases; k++) {
                events.add(new Event(exposure.org(), exposure.ts().plusMinutes(random.nextInt((int) minutes)), "purchase",
                        random.nextInt(8000) / 8.0 + effect + (exposure.org() % 3) * 40, 1 + random.nextInt(80) / 8.0));
            }
            int before = random.nextInt(3);
            for (int k = 0; k < before; k++) {
                events.add(new Event(exposure.org(), exposure.ts().minusMinutes(1 + random.nextInt(71 * 60)), "purchase",
                        random.nextInt(8000) / 8.0, 1 + random.nextInt(80) / 8.0));
            }
            events.add(new Event(exposure.org(), exposure.ts(), "snapshot", random.nextInt(80000) / 8.0, 1));
            for (LocalDateTime day = exposure.ts().toLocalDate().atStartOfDay(); day.isBefore(END); day = day.plusDays(1)) {
                LocalDateTime ts = day.isBefore(exposure.ts()) ? exposure.ts() : day.plusHours(1);
                events.add(new Event(exposure.org(), ts, "tick", random.nextInt(8000) / 8.0, 1));
            }
        }
        return events;
    }

    /** The metrics of one offset, named {@code <kind>_<suffix>}. */
    static List<Metric> metrics(String offset, String suffix) {
        String amount = "amount + " + offset;
        String purchase = "event = 'purchase'";
        String snapshot = "event = 'snapshot'";
        Metric capped = sum("capped_" + suffix, "events", amount, snapshot);
        capped = capped.withOptions(new MetricOptions(Direction.TWO_SIDED,
                Optional.of(new Winsorization(OptionalDouble.of(0.1), OptionalDouble.of(0.9)))));
        return List.of(
                mean("mean_" + suffix, "events", amount, purchase),
                sum("sum_" + suffix, "events", amount, purchase),
                sum("balance_" + suffix, "events", amount, snapshot),
                capped,
                ratio("ratio_" + suffix,
                        aggregate("events", AggregateFunction.SUM, amount, purchase),
                        aggregate("events", AggregateFunction.SUM, "weight + " + offset, purchase)),
                ratio("perweight_" + suffix,
                        aggregate("events", AggregateFunction.SUM, "amount", purchase),
                        aggregate("events", AggregateFunction.SUM, "weight + " + offset, purchase)),
                percentile("p90_" + suffix, "events", amount, 0.9, purchase),
                sum("ticks_" + suffix, "events", amount, "event = 'tick'"));
    }

    /** One experiment with every metric at every offset, CUPED (3 days), daily results and a country breakdown. */
    static PulseConfig config() {
        List<Metric> metrics = new ArrayList<>();
        OFFSETS.forEach(offset -> metrics.addAll(metrics(offset[0], offset[1])));
        Experiment experiment = experiment("exp", "exposures", List.of("control", "treat"), "2026-03-10", "2026-03-13",
                metrics.stream().map(metric -> metric.name().value()).toArray(String[]::new))
                .withOptions(AnalysisOptions.DEFAULT.withCuped(new Cuped(3)))
                .withTimeseries(true)
                .withDimensions(new Dimensions(List.of("country"), 10));
        return TestModel.config(
                List.of(assignment("exposures", table("exposures")), metricSource("events", table("events"))),
                metrics, List.of(experiment));
    }

    @Test
    void duckDbMatchesTheReferenceAtEveryOffset() throws Exception {
        assertMatchesReference(config(), warehouse);
    }

    @Test
    void postgresMatchesTheReferenceAtEveryOffset() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema("pulse_large_values")) {
            load(schema.warehouse(), "CREATE TABLE %s AS SELECT * FROM (VALUES %s) AS t(%s)",
                    "CAST(%s AS DOUBLE PRECISION)");
            PulseConfig config = config();
            assertMatchesReference(new PulseConfig(config.file(), TestPostgres.config(), config.sources(),
                    config.metrics(), config.experiments()), schema.warehouse());
        }
    }

    /** Analyses {@link #config} on {@code warehouse} and checks it against the reference and the offset-free results. */
    static void assertMatchesReference(PulseConfig config, Warehouse warehouse) throws Exception {
        JsonNode result = JSON.readTree(JsonOutput.experiments(List.of(Analyzer.analyze(config, EXP, warehouse))))
                .get("experiments").get(0);
        for (String[] offset : OFFSETS) {
            String suffix = offset[1];
            double shift = Double.parseDouble(offset[0]);
            for (String kind : List.of("mean", "sum", "balance", "ratio", "perweight", "ticks")) {
                Reference expected = reference(kind, shift, END);
                JsonNode comparison = metric(result.get("metrics"), kind + "_" + suffix).get("comparisons").get(0);
                String where = kind + "_" + suffix;
                // each day's running values (units first exposed by then, their rows up to then)
                JsonNode series = comparison.get("timeseries");
                assertEquals(4, series.size(), where + " days");
                for (int d = 0; d < 4; d++) {
                    Reference daily = reference(kind, shift, START.plusDays(d + 1));
                    assertClose(daily.standardError(), series.get(d).get("absolute").get("std_error").asDouble(),
                            SE_RELATIVE, where + " day " + d + " SE");
                }
                assertClose(expected.control(), comparison.get("control_mean").asDouble(), 1e-12, where + " control");
                assertClose(expected.treatment(), comparison.get("treatment_mean").asDouble(), 1e-12, where + " treatment");
                JsonNode absolute = comparison.get("absolute");
                assertClose(expected.standardError(), absolute.get("std_error").asDouble(), SE_RELATIVE, where + " SE");
                assertTrue(Math.abs(expected.difference() - absolute.get("estimate").asDouble())
                        <= 1e-6 * expected.standardError(), where + " difference " + absolute.get("estimate")
                        + " vs " + expected.difference());
            }
            // results the offset does not change: every lift, standard error, interval and p-value
            for (String kind : List.of("mean", "balance", "capped", "p90")) {
                String name = kind + "_" + suffix;
                assertSameInference(metric(result.get("metrics"), kind + "_0"), metric(result.get("metrics"), name), name);
                for (JsonNode dimension : result.get("dimensions")) {
                    assertSameInference(metric(dimension.get("metrics"), kind + "_0"), metric(dimension.get("metrics"), name),
                            name + " in " + dimension.get("value"));
                }
            }
        }
    }

    private static JsonNode metric(JsonNode metrics, String name) {
        for (JsonNode metric : metrics) {
            if (metric.get("metric").asText().equals(name)) {
                return metric;
            }
        }
        throw new AssertionError("no metric " + name + " in " + metrics);
    }

    /**
     * The figures of {@code actual} that an offset on every value leaves unchanged agree with {@code expected}'s:
     * absolute lifts, standard errors, intervals, p-values, degrees of freedom, CUPED's θ and variance
     * reduction, also per day; the warnings are the same (no "zero variance" where there was none).
     */
    private static void assertSameInference(JsonNode expected, JsonNode actual, String where) {
        int checked = compareInvariant(expected, actual, where, false);
        assertTrue(checked >= 5, where + ": only " + checked + " figures compared");
    }

    private static int compareInvariant(JsonNode expected, JsonNode actual, String path, boolean absolute) {
        int checked = 0;
        if (expected.isObject()) {
            Iterator<String> names = expected.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                JsonNode e = expected.get(name);
                JsonNode a = actual.get(name);
                assertNotNull(a, path + "." + name + " missing");
                if (name.equals("relative") || name.equals("control_mean") || name.equals("treatment_mean")
                        || name.equals("metric") || name.equals("bayesian")) {
                    continue;
                }
                if (e.isContainerNode()) {
                    // a heterogeneity test's difference is of two absolute effects
                    checked += compareInvariant(e, a, path + "." + name,
                            absolute || name.equals("absolute") || name.equals("difference"));
                } else if (e.isNumber()) {
                    if (name.equals("std_error") || name.equals("degrees_of_freedom")) {
                        assertClose(e.asDouble(), a.asDouble(), SE_RELATIVE, path + "." + name);
                    } else if (name.equals("theta")) {
                        // a slope near 0 here (correlation ≈ 0.01): its absolute error, ≈ 1e-8 of the ratio of the
                        // spreads from rounding X − c·Y at 10¹², is a larger relative one; it changes no SE above
                        assertClose(e.asDouble(), a.asDouble(), 1e-4, path + "." + name);
                    } else if (name.equals("p_value") || name.equals("adjusted_p_value") || name.equals("variance_reduction")) {
                        assertTrue(Math.abs(e.asDouble() - a.asDouble()) <= 1e-6, path + ".p_value " + e + " vs " + a);
                    } else if (absolute) {
                        // lifts and interval ends: to 1e-6 of the standard error beside them
                        double scale = Math.abs(expected.get("std_error").asDouble());
                        assertTrue(Math.abs(e.asDouble() - a.asDouble()) <= 1e-6 * scale,
                                path + "." + name + " " + e + " vs " + a);
                    } else {
                        assertEquals(e.asDouble(), a.asDouble(), 0.0, path + "." + name);
                    }
                    checked++;
                } else {
                    assertEquals(e, a, path + "." + name);
                }
            }
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), path + " size");
            for (int i = 0; i < expected.size(); i++) {
                checked += compareInvariant(expected.get(i), actual.get(i), path + "[" + i + "]", absolute);
            }
        } else {
            assertEquals(expected, actual, path);
        }
        return checked;
    }

    private static void assertClose(double expected, double actual, double relative, String where) {
        assertTrue(Math.abs(expected - actual) <= relative * Math.abs(expected), where + ": expected " + expected
                + ", got " + actual + " (relative error " + Math.abs(expected - actual) / Math.abs(expected) + ")");
    }

    /** The group values, their difference and its standard error. */
    record Reference(double control, double treatment, double difference, double standardError) {}

    private static final MathContext PRECISION = new MathContext(60);

    /**
     * The plain comparison of metric {@code kind} at {@code offset} as of {@code until} (the units first exposed
     * before it, their rows before it), in exact decimal arithmetic from the
     * generated rows: per unit X and Y as the metric types define them (a unit without rows has X = Y = 0),
     * per group {@code R = ΣX/ΣY} and the delta-method variance
     * {@code V = Σ((X − R·Y)²)/(n − 1) / (n ȳ²)} (Deng, Knoblich &amp; Lu, KDD 2018, §3, written with the
     * centered linearized values, so no cancellation), {@code SE = √(V_t + V_c)}.
     */
    static Reference reference(String kind, double offset, LocalDateTime until) {
        BigDecimal shift = new BigDecimal(offset);
        List<BigDecimal[]> control = new ArrayList<>();
        List<BigDecimal[]> treatment = new ArrayList<>();
        List<Event> events = events();
        for (Exposure exposure : exposures()) {
            if (!exposure.ts().isBefore(until)) {
                continue;
            }
            BigDecimal x = BigDecimal.ZERO;
            BigDecimal y = BigDecimal.ZERO;
            for (Event e : events) {
                if (e.org() != exposure.org() || e.ts().isBefore(exposure.ts()) || !e.ts().isBefore(until)) {
                    continue;
                }
                BigDecimal amount = new BigDecimal(e.amount());
                BigDecimal weight = new BigDecimal(e.weight());
                boolean purchase = e.event().equals("purchase");
                boolean snapshot = e.event().equals("snapshot");
                switch (kind) {
                    case "mean" -> {
                        if (purchase) {
                            x = x.add(amount.add(shift));
                            y = y.add(BigDecimal.ONE);
                        }
                    }
                    case "sum" -> {
                        if (purchase) {
                            x = x.add(amount.add(shift));
                        }
                    }
                    case "balance" -> {
                        if (snapshot) {
                            x = x.add(amount.add(shift));
                        }
                    }
                    case "ticks" -> {
                        if (e.event().equals("tick")) {
                            x = x.add(amount.add(shift));
                        }
                    }
                    case "ratio" -> {
                        if (purchase) {
                            x = x.add(amount.add(shift));
                            y = y.add(weight.add(shift));
                        }
                    }
                    case "perweight" -> {
                        if (purchase) {
                            x = x.add(amount);
                            y = y.add(weight.add(shift));
                        }
                    }
                    default -> throw new IllegalArgumentException(kind);
                }
            }
            if (kind.equals("sum") || kind.equals("balance") || kind.equals("ticks")) {
                y = BigDecimal.ONE;
            }
            (exposure.group().equals("control") ? control : treatment).add(new BigDecimal[] {x, y});
        }
        BigDecimal[] c = valueAndVariance(control);
        BigDecimal[] t = valueAndVariance(treatment);
        return new Reference(c[0].doubleValue(), t[0].doubleValue(), t[0].subtract(c[0]).doubleValue(),
                c[1].add(t[1]).sqrt(PRECISION).doubleValue());
    }

    /** {@code R = ΣX/ΣY} and {@code V = Σ(X − R·Y)² / (n − 1) / (n ȳ²)}. */
    private static BigDecimal[] valueAndVariance(List<BigDecimal[]> units) {
        BigDecimal n = BigDecimal.valueOf(units.size());
        BigDecimal sumX = BigDecimal.ZERO;
        BigDecimal sumY = BigDecimal.ZERO;
        for (BigDecimal[] unit : units) {
            sumX = sumX.add(unit[0]);
            sumY = sumY.add(unit[1]);
        }
        BigDecimal ratio = sumX.divide(sumY, PRECISION);
        BigDecimal squares = BigDecimal.ZERO;
        for (BigDecimal[] unit : units) {
            BigDecimal residual = unit[0].subtract(ratio.multiply(unit[1]));
            squares = squares.add(residual.multiply(residual));
        }
        BigDecimal meanY = sumY.divide(n, PRECISION);
        BigDecimal variance = squares.divide(n.subtract(BigDecimal.ONE), PRECISION)
                .divide(n.multiply(meanY).multiply(meanY), PRECISION);
        return new BigDecimal[] {ratio, variance};
    }
}
