package dev.pulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Sums the JSON profiles that Pulse's DuckDB warehouse writes, one per statement, into the folder named by
 * {@code PULSE_DUCKDB_PROFILE_DIR} (pulse-core's DuckDbWarehouse): what a run read.
 *
 * <p>Per statement DuckDB reports {@code io.total_bytes_read} (every byte read from a file: the Parquet sources and,
 * for a database file, the blocks of its tables not yet in memory) and a tree of operators; a {@code TABLE_SCAN}
 * reading Parquet names {@code Function: READ_PARQUET}, its glob ({@code Filename(s)}), {@code Total Files Read},
 * {@code rows_scanned} and {@code row_groups_scanned} of {@code total_row_groups_to_scan}; a scan of a table names the
 * {@code Table}; a scan of {@code Function: PARQUET_METADATA} (the history check on Parquet {@code path:} sources) reads
 * only the footers of source files: no rows, its bytes counted with the sources'. Bytes cannot be split by scan, so the
 * statements are classed by what they scan: sources only (rows or footers), the state only, or both.
 */
final class Profiles {
    private Profiles() {}

    /** Rows and row groups of the scans of one kind of relation. */
    record Scans(long scans, long rows, long rowGroups, long rowGroupsToScan, long files) {
        Scans plus(Scans o) {
            return new Scans(scans + o.scans, rows + o.rows, rowGroups + o.rowGroups, rowGroupsToScan + o.rowGroupsToScan,
                    files + o.files);
        }

        static final Scans NONE = new Scans(0, 0, 0, 0, 0);
    }

    /**
     * A run's totals.
     *
     * @param statements        statements profiled (the driver's BEGIN/COMMIT not counted)
     * @param events            scans of the events Parquet files
     * @param exposures         scans of the exposures Parquet files
     * @param footers           scans of Parquet footers ({@code parquet_metadata}) of either source: no rows
     * @param state             scans of tables in the database file (the incremental state)
     * @param bytesSourcesOnly  bytes read by statements that scan only Parquet sources
     * @param bytesStateOnly    bytes read by statements that scan only tables
     * @param bytesMixed        bytes read by statements that scan both
     * @param seconds           DuckDB's own time of the statements ({@code query.total_time}), summed: the warehouse's
     *                          work without the process around it (JVM start, planning, commit, checkpoint)
     * @param breakdown         one line per statement: time, rows from sources and from the state, bytes, its start
     */
    record Totals(int statements, Scans events, Scans exposures, Scans footers, Scans state, long bytesSourcesOnly, long bytesStateOnly,
                  long bytesMixed, double seconds, List<String> breakdown) {
        long bytes() {
            return bytesSourcesOnly + bytesStateOnly + bytesMixed;
        }

        Scans sources() {
            return events.plus(exposures);
        }
    }

    /** {@code Profiles DIR…}: each folder's statements, one line each, and their total time. */
    public static void main(String[] folders) throws IOException {
        for (String folder : folders) {
            Totals totals = sum(Path.of(folder));
            System.out.println(folder);
            totals.breakdown().forEach(line -> System.out.println("  " + line));
            System.out.printf(java.util.Locale.ROOT, "  %7.3f s in %d statements%n", totals.seconds(), totals.statements());
        }
    }

    static Totals sum(Path folder) throws IOException {
        int statements = 0;
        Scans events = Scans.NONE;
        Scans exposures = Scans.NONE;
        Scans state = Scans.NONE;
        Scans footers = Scans.NONE;
        long sourcesOnly = 0;
        long stateOnly = 0;
        long mixed = 0;
        double seconds = 0;
        List<String> breakdown = new java.util.ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            Map<?, ?> profile = (Map<?, ?>) Json.parse(Files.readString(file));
            String sql = String.valueOf(((Map<?, ?>) profile.get("query")).get("sql")).trim();
            if (sql.equals("BEGIN TRANSACTION") || sql.equals("COMMIT") || sql.startsWith("SET profiling_output")) {
                continue;
            }
            statements++;
            Scans[] found = {Scans.NONE, Scans.NONE, Scans.NONE, Scans.NONE}; // events, exposures, state, footers
            walk((List<?>) profile.get("operator"), found);
            events = events.plus(found[0]);
            exposures = exposures.plus(found[1]);
            state = state.plus(found[2]);
            footers = footers.plus(found[3]);
            long bytes = (long) number(((Map<?, ?>) profile.get("io")).get("total_bytes_read"));
            double time = number(((Map<?, ?>) profile.get("query")).get("total_time"));
            seconds += time;
            breakdown.add(String.format(java.util.Locale.ROOT, "%7.3f s  source rows %,11d  state rows %,11d  footer scans %d  bytes %,12d  %s",
                    time, found[0].rows() + found[1].rows(), found[2].rows(), found[3].scans(), bytes,
                    sql.replaceAll("\\s+", " ").substring(0, Math.min(100, sql.replaceAll("\\s+", " ").length()))));
            boolean readsSources = found[0].scans() + found[1].scans() + found[3].scans() > 0;
            boolean readsState = found[2].scans() > 0;
            if (readsSources && readsState) {
                mixed += bytes;
            } else if (readsSources) {
                sourcesOnly += bytes;
            } else {
                stateOnly += bytes;
            }
        }
        return new Totals(statements, events, exposures, footers, state, sourcesOnly, stateOnly, mixed, seconds, List.copyOf(breakdown));
    }

    private static void walk(List<?> operators, Scans[] found) {
        if (operators == null) {
            return;
        }
        for (Object o : operators) {
            Map<?, ?> operator = (Map<?, ?>) o;
            if ("TABLE_SCAN".equals(operator.get("type"))) {
                Map<?, ?> info = (Map<?, ?>) operator.get("extra_info");
                Scans scan = new Scans(1, (long) number(operator.get("rows_scanned")),
                        (long) number(operator.get("row_groups_scanned")), (long) number(operator.get("total_row_groups_to_scan")),
                        info.containsKey("Total Files Read") ? Long.parseLong(String.valueOf(info.get("Total Files Read"))) : 0);
                String files = String.valueOf(info.get("Filename(s)"));
                if ("READ_PARQUET".equals(info.get("Function")) && files.contains("/events/")) {
                    found[0] = found[0].plus(scan);
                } else if ("READ_PARQUET".equals(info.get("Function")) && files.contains("/exposures/")) {
                    found[1] = found[1].plus(scan);
                } else if ("PARQUET_METADATA".equals(info.get("Function"))) {
                    found[3] = found[3].plus(scan);
                } else if (info.containsKey("Table")) {
                    found[2] = found[2].plus(scan);
                } else {
                    throw new IllegalStateException("a scan of neither a source nor a table: " + info);
                }
            }
            walk((List<?>) operator.get("children"), found);
        }
    }

    private static double number(Object value) {
        return value == null ? 0 : ((Number) value).doubleValue();
    }
}
