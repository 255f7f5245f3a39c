package dev.pulse.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end benchmark: Pulse against the hand-written {@link Floor}, as whole processes, on the
 * same data, alternating within one run so both see the same machine state.
 *
 * <p>Usage: {@code Benchmark --data DIR [--runs K] [--pulse-cmd "PREFIX"] [--results DIR]}.
 * Each round runs {@code PREFIX analyze --config DIR/pulse.yaml --format json} and
 * {@code java -cp <this classpath> dev.pulse.bench.Floor DIR}, swapping which goes first every
 * round. Round 0 is a warm-up of each (page cache, a launcher's first build) and is discarded; then
 * K measured rounds. Prints every wall time, the peak heap of each program's JVM(s), the max RSS,
 * and the median of the per-round ratios Pulse/floor. The working directory is the current one
 * (run it from the repository root so the default prefix finds {@code pulse-cli/target/pulse.jar}).
 */
public final class Benchmark {
    static final String DEFAULT_PULSE = "java -jar pulse-cli/target/pulse.jar";

    private Benchmark() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, List.of("data", "runs", "pulse-cmd", "results"));
        Path data = Path.of(args.get("data", "bench/data")).toAbsolutePath().normalize();
        int runs = (int) args.getLong("runs", 5);
        Path config = data.resolve("pulse.yaml");
        if (!Files.isRegularFile(config) || runs < 1) {
            System.err.println("need --data DIR with pulse.yaml (run GenerateData first) and --runs >= 1");
            System.exit(2);
        }
        Path results = Path.of(args.get("results", "bench/results/" + data.getFileName())).toAbsolutePath().normalize();
        Path workDir = Path.of("").toAbsolutePath();

        List<String> pulse = new ArrayList<>(CommandLine.split(args.get("pulse-cmd", DEFAULT_PULSE)));
        pulse.addAll(List.of("analyze", "--config", config.toString(), "--format", "json"));
        List<String> floor = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Floor.class.getName(), data.toString());

        System.out.printf("data %s, %d measured rounds + 1 warm-up, %d cores, %s %s, Java %s%n",
                data, runs, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.println("pulse: " + String.join(" ", pulse));
        System.out.println("floor: " + String.join(" ", floor));
        System.out.println("run outputs, GC logs: " + results);

        double[] pulseSeconds = new double[runs];
        double[] floorSeconds = new double[runs];
        double[] ratios = new double[runs];
        double[] cpuRatios = new double[runs];
        long pulsePeakHeap = -1;
        Files.createDirectories(results);
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(results.resolve("runs.csv")))) {
            csv.println("round,program,seconds,cpu_seconds,peak_heap_bytes,jvms,max_rss_bytes");
            for (int round = 0; round <= runs; round++) {
                boolean pulseFirst = round % 2 == 0;
                TimedProcess.Result p = null;
                TimedProcess.Result f = null;
                for (int i = 0; i < 2; i++) {
                    if ((i == 0) == pulseFirst) {
                        p = measure(csv, round, "pulse", pulse, workDir, results);
                    } else {
                        f = measure(csv, round, "floor", floor, workDir, results);
                    }
                }
                String label = round == 0 ? "warm-up" : "round " + round;
                System.out.printf(Locale.ROOT, "%-8s  pulse %7.3f s (cpu %.2f s, heap %s, rss %s)   floor %7.3f s (cpu %.2f s, heap %s, rss %s)   ratio %.2f%n",
                        label, p.seconds(), p.cpuSeconds(), mb(p.peakHeapBytes()), mb(p.maxRssBytes()),
                        f.seconds(), f.cpuSeconds(), mb(f.peakHeapBytes()), mb(f.maxRssBytes()), p.seconds() / f.seconds());
                if (round > 0) {
                    pulseSeconds[round - 1] = p.seconds();
                    floorSeconds[round - 1] = f.seconds();
                    ratios[round - 1] = p.seconds() / f.seconds();
                    cpuRatios[round - 1] = p.cpuSeconds() / f.cpuSeconds();
                    pulsePeakHeap = Math.max(pulsePeakHeap, p.peakHeapBytes());
                }
            }
        }
        System.out.printf(Locale.ROOT, "median: pulse %.3f s, floor %.3f s; median ratio pulse/floor %.2f (min %.2f, max %.2f); pulse peak heap %s%n",
                median(pulseSeconds), median(floorSeconds), median(ratios),
                Arrays.stream(ratios).min().orElseThrow(), Arrays.stream(ratios).max().orElseThrow(), mb(pulsePeakHeap));
        if (cpuRatios[0] > 0) {
            System.out.printf(Locale.ROOT, "median CPU-time ratio pulse/floor %.2f (user+sys of each process tree; less disturbed by other load)%n",
                    median(cpuRatios));
        }
    }

    private static TimedProcess.Result measure(PrintWriter csv, int round, String program, List<String> command,
                                               Path workDir, Path results) throws IOException, InterruptedException {
        Path runDir = results.resolve(String.format("round-%02d-%s", round, program));
        deleteRecursively(runDir); // stale gc-<pid>.log files would count as JVMs of this run
        TimedProcess.Result r = TimedProcess.run(command, workDir, runDir);
        csv.printf(Locale.ROOT, "%d,%s,%.4f,%.2f,%d,%d,%d%n", round, program, r.seconds(), r.cpuSeconds(),
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
