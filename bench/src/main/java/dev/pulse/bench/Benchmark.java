package dev.pulse.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * End-to-end benchmark: Pulse against the hand-written {@link Floor}, as whole processes, on the
 * same data, alternating within one run so all programs see the same machine state.
 *
 * <p>Usage: {@code Benchmark --data DIR [--runs K] [--pulse-cmd "PREFIX"] [--floor-cmd "COMMAND"] [--configs A,B] [--results DIR]
 * [--experiment NAME] [--baseline NAME]}. {@code --experiment} appends {@code --experiment NAME} to every Pulse command
 * (the configs of issue 14 define a second experiment that only the first one's interactions read); {@code --baseline}
 * also prints every program's per-round ratios to that config's run (e.g. {@code pulse-concurrent}).
 * {@code --floor-cmd} replaces the DuckDB floor by a whole command (e.g. the PostgreSQL or Spark floor).
 * The programs are the floor, {@code java -cp <this classpath> dev.pulse.bench.Floor DIR}, and one
 * Pulse run per config, {@code PREFIX analyze --config DIR/<config> --format json}; {@code --configs}
 * defaults to {@code pulse.yaml,pulse-timeseries.yaml,pulse-options.yaml} (plain, daily results, and every
 * analysis option; all written by
 * {@link GenerateData}). Each round runs every program once, the order rotated by one every round so
 * none always runs with a warmer page cache. Round 0 is a warm-up of each (page cache, a launcher's
 * first build) and is discarded; then K measured rounds. Prints every wall and CPU time, peak heap and
 * max RSS, and per Pulse config the median (and range) of the per-round ratios config/floor, wall
 * and CPU. The working directory is the current one (run it from the repository root so the default
 * prefix finds the {@code ./pulse} launcher).
 */
public final class Benchmark {
    static final String DEFAULT_PULSE = "./pulse";
    static final String DEFAULT_CONFIGS = "pulse.yaml,pulse-timeseries.yaml,pulse-options.yaml";

    /** One program the benchmark runs: its label (also its run folder's suffix) and its command. */
    private record Program(String name, List<String> command) {}

    private Benchmark() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, List.of("data", "runs", "pulse-cmd", "floor-cmd", "configs", "results", "warmups",
                "experiment", "baseline"));
        Path data = Path.of(args.get("data", "bench/data")).toAbsolutePath().normalize();
        int runs = (int) args.getLong("runs", 5);
        int warmups = (int) args.getLong("warmups", 1); // 0: data already in the page cache and the run is long (Spark)
        // one experiment of configs that define two (issue 14's: pricing is there for bench's interactions only)
        String experiment = args.get("experiment", null);
        List<Program> programs = new ArrayList<>();
        String floorCmd = args.get("floor-cmd", null);
        programs.add(new Program("floor", floorCmd != null ? CommandLine.split(floorCmd) // another engine's floor, as given
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), Floor.class.getName(), data.toString())));
        for (String name : args.get("configs", DEFAULT_CONFIGS).split(",")) {
            Path config = data.resolve(name.trim());
            if (!Files.isRegularFile(config)) {
                System.err.println("no " + config + " (run GenerateData first)");
                System.exit(2);
            }
            List<String> pulse = new ArrayList<>(CommandLine.split(args.get("pulse-cmd", DEFAULT_PULSE)));
            pulse.addAll(List.of("analyze", "--config", config.toString(), "--format", "json"));
            if (experiment != null) {
                pulse.addAll(List.of("--experiment", experiment));
            }
            // pulse.yaml -> "pulse", pulse-options.yaml -> "pulse-options"
            programs.add(new Program(name.trim().replaceFirst("\\.ya?ml$", ""), pulse));
        }
        if (runs < 1) {
            System.err.println("need --runs >= 1");
            System.exit(2);
        }
        Path results = Path.of(args.get("results", "bench/results/" + data.getFileName())).toAbsolutePath().normalize();
        Path workDir = Path.of("").toAbsolutePath();

        System.out.printf("data %s, %d measured rounds + %d warm-up, %d cores, %s %s, Java %s%n",
                data, runs, warmups, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        for (Program program : programs) {
            System.out.println(program.name() + ": " + String.join(" ", program.command()));
        }
        System.out.println("run outputs, GC logs: " + results);

        int n = programs.size();
        TimedProcess.Result[][] measured = new TimedProcess.Result[n][runs]; // [program][round - 1]
        Files.createDirectories(results);
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(results.resolve("runs.csv")))) {
            csv.println("round,program,seconds,cpu_seconds,peak_heap_bytes,jvms,max_rss_bytes");
            for (int round = 1 - warmups; round <= runs; round++) {
                TimedProcess.Result[] r = new TimedProcess.Result[n];
                for (int k = 0; k < n; k++) {
                    int i = Math.floorMod(round + k, n); // rotate the order every round
                    r[i] = measure(csv, round, programs.get(i), workDir, results);
                }
                StringBuilder line = new StringBuilder(String.format("%-8s", round <= 0 ? "warm-up" : "round " + round));
                for (int i = 0; i < n; i++) {
                    line.append(String.format(Locale.ROOT, "  %s %.3f s (cpu %.2f s, heap %s, rss %s)",
                            programs.get(i).name(), r[i].seconds(), r[i].cpuSeconds(), mb(r[i].peakHeapBytes()), mb(r[i].maxRssBytes())));
                    if (i > 0) {
                        line.append(String.format(Locale.ROOT, " ratio %.2f", r[i].seconds() / r[0].seconds()));
                    }
                }
                System.out.println(line);
                if (round > 0) {
                    for (int i = 0; i < n; i++) {
                        measured[i][round - 1] = r[i];
                    }
                }
            }
        }

        System.out.println();
        System.out.println("summary over the measured rounds (ratios: median of the per-round ratios to the floor, [min-max]):");
        for (int i = 0; i < n; i++) {
            TimedProcess.Result[] mine = measured[i];
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "%-14s wall %.3f s, cpu %.2f s (medians); peak heap %s; max RSS %s-%s",
                    programs.get(i).name(), median(mine, TimedProcess.Result::seconds), median(mine, TimedProcess.Result::cpuSeconds),
                    mb(max(mine, TimedProcess.Result::peakHeapBytes)),
                    mb(min(mine, TimedProcess.Result::maxRssBytes)), mb(max(mine, TimedProcess.Result::maxRssBytes))));
            if (i > 0) {
                double[] wall = new double[runs];
                double[] cpu = new double[runs];
                for (int k = 0; k < runs; k++) {
                    wall[k] = mine[k].seconds() / measured[0][k].seconds();
                    cpu[k] = mine[k].cpuSeconds() < 0 || measured[0][k].cpuSeconds() < 0 ? Double.NaN // no GNU time
                            : mine[k].cpuSeconds() / measured[0][k].cpuSeconds();
                }
                line.append(String.format(Locale.ROOT, "; ratio to floor: wall %s, cpu %s", ratio(wall), ratio(cpu)));
            }
            System.out.println(line);
        }
        String baseline = args.get("baseline", null);
        if (baseline != null) {
            printRatios(programs, measured, baseline);
        }
    }

    /**
     * Per program, the median and range of its per-round ratios to the program {@code baseline} (a config's name without
     * {@code .yaml}), wall and CPU: what a method costs over the same experiment without it, each round against the
     * baseline's run in the same round.
     */
    private static void printRatios(List<Program> programs, TimedProcess.Result[][] measured, String baseline) {
        int b = -1;
        for (int i = 0; i < programs.size(); i++) {
            if (programs.get(i).name().equals(baseline)) {
                b = i;
            }
        }
        if (b < 0) {
            System.err.println("--baseline " + baseline + " is not one of the programs");
            return;
        }
        System.out.println();
        System.out.println("ratios to " + baseline + " (median of the per-round ratios, [min-max]):");
        int runs = measured[b].length;
        for (int i = 1; i < programs.size(); i++) {
            double[] wall = new double[runs];
            double[] cpu = new double[runs];
            for (int k = 0; k < runs; k++) {
                wall[k] = measured[i][k].seconds() / measured[b][k].seconds();
                cpu[k] = measured[i][k].cpuSeconds() < 0 || measured[b][k].cpuSeconds() < 0 ? Double.NaN
                        : measured[i][k].cpuSeconds() / measured[b][k].cpuSeconds();
            }
            System.out.printf(Locale.ROOT, "%-20s wall %s, cpu %s%n", programs.get(i).name(), ratio(wall), ratio(cpu));
        }
    }

    /** "1.23 [1.10-1.40]": the median and the range of per-round ratios; "?" when a time was unknown. */
    private static String ratio(double[] ratios) {
        if (Arrays.stream(ratios).anyMatch(r -> !(r > 0))) {
            return "?";
        }
        return String.format(Locale.ROOT, "%.2f [%.2f-%.2f]", median(ratios),
                Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow());
    }

    private static double median(TimedProcess.Result[] results, ToDoubleFunction<TimedProcess.Result> field) {
        return median(Arrays.stream(results).mapToDouble(field).toArray());
    }

    private static long max(TimedProcess.Result[] results, ToLongFunction<TimedProcess.Result> field) {
        return Arrays.stream(results).mapToLong(field).max().orElse(-1);
    }

    private static long min(TimedProcess.Result[] results, ToLongFunction<TimedProcess.Result> field) {
        return Arrays.stream(results).mapToLong(field).min().orElse(-1);
    }

    private static TimedProcess.Result measure(PrintWriter csv, int round, Program program,
                                               Path workDir, Path results) throws IOException, InterruptedException {
        Path runDir = results.resolve(String.format("round-%02d-%s", round, program.name()));
        deleteRecursively(runDir); // stale gc-<pid>.log files would count as JVMs of this run
        TimedProcess.Result r = TimedProcess.run(program.command(), workDir, runDir);
        csv.printf(Locale.ROOT, "%d,%s,%.4f,%.2f,%d,%d,%d%n", round, program.name(), r.seconds(), r.cpuSeconds(),
                r.peakHeapBytes(), r.jvms(), r.maxRssBytes());
        return r;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())::iterator) {
                Files.delete(p);
            }
        }
    }
}
