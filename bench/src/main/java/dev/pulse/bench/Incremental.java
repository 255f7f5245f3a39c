package dev.pulse.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The day-28 refresh against a full run (issue 13): over the daily files of {@code GenerateData --daily true}, the
 * last day's folders are held back, {@code pulse analyze --incremental} builds the state from the days before (what
 * 27 daily refreshes leave, exactly: IncrementalSimulationTest), the last day is put back, and then, alternately for
 * several rounds, each refresh variant runs from a fresh copy of that day-27 state (copied outside the timed part)
 * beside a full {@code pulse analyze} of the same files.
 *
 * <p>Afterwards each program runs once more with {@code PULSE_DUCKDB_PROFILE_DIR} set, untimed (profiling costs
 * time), and {@link Profiles} sums the rows, row groups, files and bytes its statements read; the state's tables are
 * sized (rows, and bytes when written as Parquet like the sources) against the source files; and each refresh's
 * numbers are compared with the full run's.
 *
 * <p>Usage: {@code Incremental --data DIR [--config pulse-incremental.yaml] [--runs 5] [--profiled-runs 1] [--warmups 1] [--pulse-cmd "./pulse"] [--results DIR]
 * [--last-day 2026-03-28]}; run from the repository root (bench/incremental.sh).
 */
public final class Incremental {
    static final String DEFAULT_CONFIG = "pulse-incremental.yaml";
    static final String DATABASE = "bench.duckdb";
    private static final String[] SOURCES = {"events", "exposures"};

    private record Program(String name, List<String> options) {}

    /** The full run, then the refreshes: the default, without the history check, a 1-day lookback, both. */
    static final List<Program> PROGRAMS = List.of(
            new Program("full", List.of()),
            new Program("refresh", List.of("--incremental")),
            new Program("refresh-no-history", List.of("--incremental", "--no-history-check")),
            new Program("refresh-lookback-1", List.of("--incremental", "--lookback-days", "1")),
            new Program("refresh-lookback-1-no-history", List.of("--incremental", "--lookback-days", "1", "--no-history-check")));

    private Incremental() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv, List.of("data", "config", "runs", "warmups", "profiled-runs", "pulse-cmd", "results", "last-day"));
        int profiledRuns = (int) args.getLong("profiled-runs", 1);
        String config = args.get("config", DEFAULT_CONFIG);
        Path data = Path.of(args.get("data", "bench/data")).toAbsolutePath().normalize();
        int runs = (int) args.getLong("runs", 5);
        int warmups = (int) args.getLong("warmups", 1);
        String lastDay = args.get("last-day", "2026-03-28");
        List<String> pulse = CommandLine.split(args.get("pulse-cmd", Benchmark.DEFAULT_PULSE));
        Path results = Path.of(args.get("results", "bench/results/" + data.getFileName() + "-" + config.replaceFirst("\\.ya?ml$", "")))
                .toAbsolutePath().normalize();
        Path workDir = Path.of("").toAbsolutePath();
        Path configFile = data.resolve(config);
        if (!Files.isRegularFile(configFile)) {
            System.err.println("no " + configFile + " (run GenerateData --daily true first)");
            System.exit(2);
        }
        Files.createDirectories(results);
        Path database = data.resolve(DATABASE);
        Path day27 = results.resolve("day27.duckdb");

        System.out.printf("config %s, last day %s, %d measured rounds + %d warm-up, %d cores, Java %s%n", configFile, lastDay, runs,
                warmups, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        // 1. the state after the days before the last one
        Path heldBack = data.resolve("held-back");
        holdBack(data, heldBack, lastDay);
        deleteDatabase(database);
        TimedProcess.Result build = TimedProcess.run(command(pulse, configFile, List.of("--incremental")), workDir,
                clean(results.resolve("build-day27")), Map.of("PULSE_DUCKDB_PROFILE_DIR",
                        clean(results.resolve("build-day27-profile")).toString()));
        System.out.printf(Locale.ROOT, "state of the days before %s built in %.2f s (profiled): %s%n", lastDay, build.seconds(),
                summaryLine(results.resolve("build-day27/stdout.txt")));
        checkpointAndClose(database);
        Files.copy(database, day27, StandardCopyOption.REPLACE_EXISTING);
        putBack(data, heldBack);

        // 2. timed rounds, alternating, each from the day-27 state
        int n = PROGRAMS.size();
        double[][] wall = new double[n][runs];
        double[][] cpu = new double[n][runs];
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(results.resolve("runs.csv")))) {
            csv.println("round,program,seconds,cpu_seconds,peak_heap_bytes,max_rss_bytes");
            for (int round = 1 - warmups; round <= runs; round++) {
                StringBuilder line = new StringBuilder(String.format("%-8s", round <= 0 ? "warm-up" : "round " + round));
                TimedProcess.Result[] r = new TimedProcess.Result[n];
                for (int k = 0; k < n; k++) {
                    int i = Math.floorMod(round + k, n); // rotate the order every round
                    Program program = PROGRAMS.get(i);
                    restore(day27, database);
                    Path runDir = clean(results.resolve(String.format("round-%02d-%s", round, program.name())));
                    r[i] = TimedProcess.run(command(pulse, configFile, program.options()), workDir, runDir);
                    csv.printf(Locale.ROOT, "%d,%s,%.4f,%.2f,%d,%d%n", round, program.name(), r[i].seconds(),
                            r[i].cpuSeconds(), r[i].peakHeapBytes(), r[i].maxRssBytes());
                    csv.flush();
                }
                for (int i = 0; i < n; i++) {
                    line.append(String.format(Locale.ROOT, "  %s %.2f s", PROGRAMS.get(i).name(), r[i].seconds()));
                    if (round > 0) {
                        wall[i][round - 1] = r[i].seconds();
                        cpu[i][round - 1] = r[i].cpuSeconds();
                    }
                }
                System.out.println(line);
            }
        }

        // 3. profiled runs of each, from the day-27 state, rotating like the timed rounds: rows and bytes from the first
        // (the same every run), DuckDB's own time of the statements as the median over the runs
        Map<String, Profiles.Totals> totals = new LinkedHashMap<>();
        Map<String, double[]> statementSeconds = new LinkedHashMap<>();
        Map<String, String> summaries = new LinkedHashMap<>();
        PROGRAMS.forEach(program -> statementSeconds.put(program.name(), new double[profiledRuns]));
        for (int run = 1; run <= profiledRuns; run++) {
            for (int k = 0; k < n; k++) {
                Program program = PROGRAMS.get(Math.floorMod(run + k, n));
                restore(day27, database);
                String name = "profile-" + (run == 1 ? "" : run + "-") + program.name();
                Path runDir = clean(results.resolve(name));
                Path profile = clean(results.resolve(name + "-statements"));
                TimedProcess.run(command(pulse, configFile, program.options()), workDir, runDir,
                        Map.of("PULSE_DUCKDB_PROFILE_DIR", profile.toString()));
                Profiles.Totals sum = Profiles.sum(profile);
                statementSeconds.get(program.name())[run - 1] = sum.seconds();
                Files.write(results.resolve("statements-" + (run == 1 ? "" : run + "-") + program.name() + ".txt"), sum.breakdown());
                if (run == 1) {
                    totals.put(program.name(), sum);
                    summaries.put(program.name(), summaryLine(runDir.resolve("stdout.txt")));
                    if (program.name().equals("refresh")) {
                        checkpointAndClose(database);
                        Files.copy(database, results.resolve("day28.duckdb"), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Path fullOutput = results.resolve("profile-full/stdout.txt");
        StringBuilder equal = new StringBuilder();
        for (Program program : PROGRAMS.subList(1, n)) {
            Path output = results.resolve("profile-" + program.name() + "/stdout.txt");
            equal.append(String.format(Locale.ROOT, "  %s: largest relative difference to the full run: group means %.1e,"
                            + " every number (also p-values near 0 and differences of close means) %.1e%n",
                    program.name(), maxRelativeDifference(fullOutput, output, true), maxRelativeDifference(fullOutput, output, false)));
        }
        restore(day27, database);

        // 4. report
        if (runs > 0) {
        System.out.println();
        System.out.printf("wall and CPU time over %d rounds (median [min-max]; ratio: median of the per-round ratios to the full run)%n", runs);
        System.out.println("| program | wall median | CPU median | ratio wall | ratio CPU |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int i = 0; i < n; i++) {
            double[] rw = new double[runs];
            double[] rc = new double[runs];
            for (int k = 0; k < runs; k++) {
                rw[k] = wall[i][k] / wall[0][k];
                rc[k] = cpu[i][k] / cpu[0][k];
            }
            System.out.printf(Locale.ROOT, "| %s | %.2f s [%.2f-%.2f] | %.2f s | %s | %s |%n", PROGRAMS.get(i).name(),
                    Benchmark.median(wall[i]), min(wall[i]), max(wall[i]), Benchmark.median(cpu[i]),
                    i == 0 ? "1" : range(rw), i == 0 ? "1" : range(rc));
        }
        }
        System.out.println();
        System.out.printf("what each read (%d profiled run(s) each: DuckDB's time of the statements is the median [min-max] and its ratio"
                + " the median of the per-run ratios to the full run; rows, row groups, files and bytes from the first run, summed"
                + " over every scan; bytes: DuckDB's io.total_bytes_read summed over statements)%n", profiledRuns);
        System.out.println("| program | statements | DuckDB time of the statements | events rows scanned | exposures rows scanned | source rows / full | "
                + "row groups (events) | files opened (events) | footer scans | bytes read: sources-only statements | + statements also reading state | + state-only | bytes / full | state rows scanned |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Profiles.Totals full = totals.get("full");
        for (Program program : PROGRAMS) {
            Map.Entry<String, Profiles.Totals> e = Map.entry(program.name(), totals.get(program.name()));
            Profiles.Totals t = e.getValue();
            double[] mine = statementSeconds.get(e.getKey());
            double[] ratios = new double[profiledRuns];
            for (int k = 0; k < profiledRuns; k++) {
                ratios[k] = mine[k] / statementSeconds.get("full")[k];
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f s [%.2f-%.2f] (%.3f) | %,d | %,d | %.3f | %,d of %,d | %,d | %d | %s | %s | %s | %.3f | %,d |%n", e.getKey(),
                    t.statements(), Benchmark.median(mine), min(mine), max(mine), Benchmark.median(ratios), t.events().rows(), t.exposures().rows(),
                    (double) t.sources().rows() / full.sources().rows(),
                    t.events().rowGroups(), t.events().rowGroupsToScan(), t.events().files(), t.footers().scans(),
                    mb(t.bytesSourcesOnly()), mb(t.bytesMixed()), mb(t.bytesStateOnly()),
                    (double) t.bytes() / full.bytes(), t.state().rows());
        }
        System.out.println();
        PROGRAMS.forEach(program -> System.out.println("  " + program.name() + ": " + summaries.get(program.name())));
        System.out.println("results against the full run's:");
        if (runs > 0 && Files.exists(results.resolve("round-01-full/stdout.txt"))) { // what two full runs differ by
            equal.append(String.format(Locale.ROOT, "  (a timed full run, for scale: group means %.1e, every number %.1e)%n",
                    maxRelativeDifference(fullOutput, results.resolve("round-01-full/stdout.txt"), true),
                    maxRelativeDifference(fullOutput, results.resolve("round-01-full/stdout.txt"), false)));
        }
        System.out.print(equal);
        System.out.println();
        stateSize(data, results.resolve("day28.duckdb"), results);
    }

    /** The command of one program: {@code pulse analyze --config … --format json} and its options. */
    private static List<String> command(List<String> pulse, Path config, List<String> options) {
        List<String> command = new ArrayList<>(pulse);
        command.addAll(List.of("analyze", "--config", config.toString(), "--format", "json"));
        command.addAll(options);
        return command;
    }

    /** Moves the last day's folders of each source out of the glob's reach. */
    private static void holdBack(Path data, Path heldBack, String lastDay) throws IOException {
        putBack(data, heldBack); // after an interrupted run
        for (String source : SOURCES) {
            Path day = data.resolve(source).resolve("date=" + lastDay);
            if (!Files.isDirectory(day)) {
                throw new IllegalStateException("no " + day);
            }
            Files.createDirectories(heldBack.resolve(source));
            Files.move(day, heldBack.resolve(source).resolve(day.getFileName()));
        }
    }

    private static void putBack(Path data, Path heldBack) throws IOException {
        for (String source : SOURCES) {
            Path folder = heldBack.resolve(source);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> days = Files.list(folder)) {
                for (Path day : days.toList()) {
                    Files.move(day, data.resolve(source).resolve(day.getFileName()));
                }
            }
            Files.delete(folder);
        }
        Files.deleteIfExists(heldBack);
    }

    private static void restore(Path day27, Path database) throws IOException {
        deleteDatabase(database);
        Files.copy(day27, database, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteDatabase(Path database) throws IOException {
        Files.deleteIfExists(database);
        Files.deleteIfExists(Path.of(database + ".wal"));
    }

    /** Folds the write-ahead log into the file, so that one file is the whole state. */
    private static void checkpointAndClose(Path database) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    /** The "incremental: …" line of a run's JSON output, or the full run's lack of one. */
    private static String summaryLine(Path stdout) throws IOException {
        String text = Files.readString(stdout);
        int at = text.indexOf("\"incremental: ");
        return at < 0 ? "(no incremental line: a full run)" : text.substring(at + 1, text.indexOf('"', at + 1));
    }

    /**
     * The largest |a - b| / max(|a|, |b|) over the numbers of two JSON outputs, in order; only the fields named
     * {@code *_mean} when {@code means}.
     */
    static double maxRelativeDifference(Path a, Path b, boolean means) throws IOException {
        List<Double> x = numbers(Json.parse(Files.readString(a)), new ArrayList<>(), means, false);
        List<Double> y = numbers(Json.parse(Files.readString(b)), new ArrayList<>(), means, false);
        if (x.size() != y.size()) {
            throw new IllegalStateException("the outputs hold " + x.size() + " and " + y.size() + " numbers: " + a + ", " + b);
        }
        double worst = 0;
        for (int i = 0; i < x.size(); i++) {
            double d = Math.abs(x.get(i) - y.get(i));
            if (d > 0) {
                worst = Math.max(worst, d / Math.max(Math.max(Math.abs(x.get(i)), Math.abs(y.get(i))), 1e-300));
            }
        }
        return worst;
    }

    static List<Double> numbers(Object json, List<Double> into, boolean means, boolean isMean) {
        if (json instanceof Double d) {
            if (!means || isMean) {
                into.add(d);
            }
        } else if (json instanceof Map<?, ?> map) {
            map.forEach((k, v) -> numbers(v, into, means, String.valueOf(k).endsWith("_mean")));
        } else if (json instanceof List<?> list) {
            list.forEach(v -> numbers(v, into, means, false));
        }
        return into;
    }

    /** Rows and bytes of each state table (as Parquet, like the sources, and the database file) against the sources. */
    private static void stateSize(Path data, Path database, Path results) throws IOException, SQLException {
        Path parquet = clean(results.resolve("state-as-parquet"));
        long sourceBytes = 0;
        long sourceFiles = 0;
        for (String source : SOURCES) {
            try (Stream<Path> files = Files.walk(data.resolve(source))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    sourceBytes += Files.size(f);
                    sourceFiles++;
                }
            }
        }
        System.out.println("state after the refresh of the last day, against the sources");
        System.out.println("| relation | rows | bytes (Parquet, DuckDB's default compression) |");
        System.out.println("|---|---:|---:|");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database)) {
            long sourceRows = 0;
            for (String source : SOURCES) {
                long rows = single(c, "SELECT COUNT(*) FROM read_parquet('" + GenerateData.sqlPath(data.resolve(source)) + "/*/*.parquet')");
                long bytes = 0;
                try (Stream<Path> files = Files.walk(data.resolve(source))) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        bytes += Files.size(f);
                    }
                }
                sourceRows += rows;
                System.out.printf(Locale.ROOT, "| source %s (every day) | %,d | %s |%n", source, rows, mb(bytes));
            }
            System.out.printf(Locale.ROOT, "| **sources** (%d files) | %,d | %s |%n", sourceFiles, sourceRows, mb(sourceBytes));
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'pulse_state_%' ORDER BY 1")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            long stateRows = 0;
            long stateBytes = 0;
            for (String table : tables) {
                long rows = single(c, "SELECT COUNT(*) FROM \"" + table + "\"");
                Path file = parquet.resolve(table + ".parquet");
                try (Statement s = c.createStatement()) {
                    s.execute("COPY \"" + table + "\" TO '" + GenerateData.sqlPath(file) + "' (FORMAT parquet)");
                }
                long bytes = Files.size(file);
                stateRows += rows;
                stateBytes += bytes;
                System.out.printf(Locale.ROOT, "| state %s | %,d | %s |%n", table, rows, mb(bytes));
            }
            System.out.printf(Locale.ROOT, "| **state** | %,d (%.3f of the sources') | %s (%.3f of the sources') |%n",
                    stateRows, (double) stateRows / sourceRows, mb(stateBytes), (double) stateBytes / sourceBytes);
        }
        System.out.printf(Locale.ROOT, "database file %s after CHECKPOINT: %s%n", database.getFileName(), mb(Files.size(database)));
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Path clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        return dir;
    }

    private static String range(double[] ratios) {
        return String.format(Locale.ROOT, "**%.3f** [%.3f-%.3f]", Benchmark.median(ratios), min(ratios), max(ratios));
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
}
