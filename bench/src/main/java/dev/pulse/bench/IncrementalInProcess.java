package dev.pulse.bench;

import dev.pulse.analysis.AnalysisRun;
import dev.pulse.analysis.ExperimentResult;
import dev.pulse.analysis.IncrementalRefresh;
import dev.pulse.config.ConfigLoader;
import dev.pulse.model.ExperimentName;
import dev.pulse.output.JsonOutput;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.Planner;
import dev.pulse.plan.SourcePass;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.IncrementalSql;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.Warehouse;
import dev.pulse.warehouse.Warehouses;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The day-28 refresh against a full run inside one warm JVM, as {@code pulse serve --incremental} runs it: each run is
 * {@code AnalysisRun.of(config, [experiment])[.withIncremental(defaults)].run(…)} — the call the web app makes for a
 * run (ServeCommand.start) — which opens the config's DuckDB file, runs, and closes it. So the figures hold what the
 * warehouse work costs without the JVM's and DuckDB's start-up, which a separate {@code pulse analyze} process pays
 * every time ({@link Incremental}).
 *
 * <p>Also times a floor: the refresh's own SELECT of each pass's rows of the days it reads again (from
 * {@code --floor-from-day}, default 25: 2026-03-26), grouped per unit and day, in a fresh connection to the same copy
 * and with nothing written — the least any refresh of those days costs, whatever its state.
 *
 * <p>Alternates the full run, the refresh and the floor (the order rotated every round), each from a fresh copy of the day-27
 * state (copied outside the timed part), after warm-up rounds that let the JIT compile Pulse; records wall time and
 * the process's CPU time (every thread: DuckDB's workers too) per run, and checks that the refresh's numbers are the
 * full run's.
 *
 * <p>Usage (run from the repository root, pulse.jar first on the classpath): {@code java -cp
 * pulse-cli/target/pulse.jar:bench/target/pulse-bench.jar dev.pulse.bench.IncrementalInProcess --data DIR --config
 * pulse-incremental.yaml --day27 FILE [--rounds 7] [--warmups 2] [--results DIR]}.
 */
public final class IncrementalInProcess {
    private IncrementalInProcess() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, List.of("data", "config", "day27", "rounds", "warmups", "results", "floor-from-day"));
        Path data = Path.of(args.get("data", "bench/data")).toAbsolutePath().normalize();
        Path configFile = data.resolve(args.get("config", Incremental.DEFAULT_CONFIG));
        Path day27 = Path.of(args.get("day27", "day27.duckdb")).toAbsolutePath().normalize();
        int rounds = (int) args.getLong("rounds", 7);
        int warmups = (int) args.getLong("warmups", 2);
        Path results = Path.of(args.get("results", "bench/results/in-process")).toAbsolutePath().normalize();
        Files.createDirectories(results);
        Path database = data.resolve(Incremental.DATABASE);

        dev.pulse.model.PulseConfig config = ConfigLoader.load(configFile);
        List<ExperimentName> experiments = List.copyOf(config.experiments().keySet());
        AnalysisRun full = AnalysisRun.of(config, experiments);
        AnalysisRun refresh = full.withIncremental(IncrementalRefresh.Settings.defaults());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("in one JVM: config %s, %d rounds after %d warm-up, %d cores, Java %s%n", configFile, rounds,
                warmups, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        // the floor: the least any refresh of these days does, reading them once and grouping each pass's rows per
        // unit and day, as the refresh's own scan does (its SELECT, nothing written, one row returned)
        ExperimentName experiment = experiments.get(0);
        ExperimentPlan plan = Planner.plan(config, experiment);
        Dialect dialect = Dialects.forEngine(config.warehouse().engine());
        IncrementalSql incremental = IncrementalSql.of(dialect);
        int fromDay = (int) args.getLong("floor-from-day", 25);
        List<String> floor = new ArrayList<>();
        for (SourcePass pass : plan.passes()) {
            floor.add("SELECT COUNT(*) AS n FROM (\n" + incremental.passParts(plan, pass,
                    IncrementalRefresh.state(config, experiment), Optional.of(new IncrementalSql.Bounds(fromDay))) + "\n) AS t");
        }
        List<String> floorStatements = dialect.unitsAsBuildSide(floor);

        double[][] wall = new double[3][rounds];
        double[][] cpu = new double[3][rounds];
        String[] names = {"full", "refresh", "floor"};
        String[] summary = new String[1];
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(results.resolve("in-process-runs.csv")))) {
            csv.println("round,program,seconds,cpu_seconds");
            for (int round = 1 - warmups; round <= rounds; round++) {
                StringBuilder line = new StringBuilder(String.format("%-8s", round <= 0 ? "warm-up" : "round " + round));
                for (int k = 0; k < 3; k++) {
                    int i = Math.floorMod(round + k, 3);
                    Files.deleteIfExists(Path.of(database + ".wal"));
                    Files.copy(day27, database, StandardCopyOption.REPLACE_EXISTING);
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    List<ExperimentResult> out = i == 2 ? List.of() : (i == 0 ? full : refresh).run(phase -> { });
                    if (i == 2) {
                        try (Warehouse warehouse = Warehouses.open(config.warehouse())) {
                            floorStatements.forEach(statement -> {
                                if (statement.startsWith("SELECT")) {
                                    warehouse.query(statement);
                                } else {
                                    warehouse.execute(statement);
                                }
                            });
                        }
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
                    csv.printf(Locale.ROOT, "%d,%s,%.4f,%.3f%n", round, names[i], seconds, cpuSeconds);
                    csv.flush();
                    line.append(String.format(Locale.ROOT, "  %s %.3f s (CPU %.2f s)", names[i], seconds, cpuSeconds));
                    if (round > 0) {
                        wall[i][round - 1] = seconds;
                        cpu[i][round - 1] = cpuSeconds;
                    }
                    if (round == 1 && i < 2) {
                        Files.writeString(results.resolve("in-process-" + names[i] + ".json"), JsonOutput.experiments(out));
                        if (i == 1) {
                            summary[0] = out.get(0).warnings().isEmpty() ? "" : out.get(0).warnings().get(0);
                        }
                    }
                }
                System.out.println(line);
            }
        }
        Files.deleteIfExists(Path.of(database + ".wal"));
        Files.copy(day27, database, StandardCopyOption.REPLACE_EXISTING);

        System.out.println();
        System.out.printf("in one JVM, %d rounds (median [min-max]; ratio: median of the per-round ratios to the full run)%n", rounds);
        System.out.println("| program | wall median | CPU median | ratio wall | ratio CPU |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int i = 0; i < 3; i++) {
            List<Double> rw = new ArrayList<>();
            List<Double> rc = new ArrayList<>();
            for (int k = 0; k < rounds; k++) {
                rw.add(wall[i][k] / wall[0][k]);
                rc.add(cpu[i][k] / cpu[0][k]);
            }
            System.out.printf(Locale.ROOT, "| %s | %.3f s [%.3f-%.3f] | %.2f s | %s | %s |%n", names[i],
                    Benchmark.median(wall[i]), min(wall[i]), max(wall[i]), Benchmark.median(cpu[i]),
                    i == 0 ? "1" : range(rw), i == 0 ? "1" : range(rc));
        }
        System.out.println("  refresh: " + summary[0]);
        System.out.println("  floor: each pass's rows of the days from " + plan.window().start().atZone(java.time.ZoneOffset.UTC)
                .toLocalDate().plusDays(fromDay) + " on, grouped per unit and day (the refresh's scan alone, nothing written)");
        System.out.printf(Locale.ROOT, "  refresh against the full run: group means %.1e, every number %.1e (largest relative difference)%n",
                Incremental.maxRelativeDifference(results.resolve("in-process-full.json"), results.resolve("in-process-refresh.json"), true),
                Incremental.maxRelativeDifference(results.resolve("in-process-full.json"), results.resolve("in-process-refresh.json"), false));
    }

    private static String range(List<Double> ratios) {
        double[] values = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        return String.format(Locale.ROOT, "**%.3f** [%.3f-%.3f]", Benchmark.median(values), min(values), max(values));
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }
}
