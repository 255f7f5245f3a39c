package dev.pulse.analysis;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.Planner;
import dev.pulse.sql.BoundStatement;
import dev.pulse.sql.Dialect;
import dev.pulse.sql.IncrementalSql;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.StateTables;
import dev.pulse.sql.TableStatements;
import dev.pulse.sql.dialect.Dialects;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Transaction;
import dev.pulse.warehouse.Warehouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One experiment's incremental refresh (docs/incremental.md): brings its state up to date, reading only the days
 * after the last one it holds less the late-data lookback, and computes the experiment's moments from the state.
 * Every statement runs in the caller's transaction, so that the state and the results it gives commit together or
 * not at all. Where the engine has none (Spark, {@link #eachOnItsOwn}), each statement commits on its own: the
 * refresh marks the state incomplete in its meta table before it writes anything and writes the meta last, so that
 * a refresh killed or failed midway leaves a state the next one rebuilds.
 */
public final class IncrementalRefresh {
    /**
     * Bumped when the state's layout changes, so that an older state is rebuilt rather than misread: the fingerprint
     * covers it. 3: a distinct count's state holds each (unit, value) once with its first day, not each (unit, day,
     * value).
     */
    static final String LAYOUT = "pulse-state-3";
    /** The layouts before {@link #LAYOUT}: a state fingerprinted with one was built by an earlier Pulse. */
    private static final List<String> EARLIER_LAYOUTS = List.of("pulse-state-1", "pulse-state-2");

    private IncrementalRefresh() {}

    /**
     * How refreshes read.
     *
     * @param lookbackDays how many of the last days the state holds are read again, for rows that land late
     * @param fullRefresh  rebuild the state from every day
     * @param checkHistory count each source's rows per day (reading only its timestamp column) and read again from
     *                     the first older day whose count changed; without it a row landing later than the
     *                     lookback is missed until a full refresh
     */
    public record Settings(int lookbackDays, boolean fullRefresh, boolean checkHistory) {
        /** The default lookback: the two last days held are read again. */
        public static final int DEFAULT_LOOKBACK_DAYS = 2;

        public Settings {
            if (lookbackDays < 0 || lookbackDays > 366) {
                throw new IllegalArgumentException("the lookback is 0 to 366 days, got " + lookbackDays);
            }
        }

        /** The defaults: a 2-day lookback, history checked, no full refresh. */
        public static Settings defaults() {
            return new Settings(DEFAULT_LOOKBACK_DAYS, false, true);
        }
    }

    /**
     * What a refresh did.
     *
     * @param data      the experiment's moments, computed from the state
     * @param rebuilt   whether the state was built from every day
     * @param fromDay   the first day read again for every unit (the experiment's start when rebuilt)
     * @param summary   one line for the output: what was read and why
     */
    public record Outcome(ExperimentData data, boolean rebuilt, LocalDate fromDay, String summary) {
        public Outcome {
            Objects.requireNonNull(data);
            Objects.requireNonNull(fromDay);
            Objects.requireNonNull(summary);
        }
    }

    /** Bytes of a state table's base name, so that its longest suffix still fits PostgreSQL's 63-byte names. */
    static final int MAX_BASE_BYTES = 40;

    /**
     * The state tables of {@code experiment}: beside its staging table, {@code pulse_state_<experiment>}; a name too
     * long for every suffix to fit in 63 bytes (PostgreSQL cuts longer names, which would make two tables one) is
     * cut and given 8 hex digits of the experiment name's SHA-256, so that it stays the experiment's own.
     */
    public static StateTables state(PulseConfig config, ExperimentName experiment) {
        TableName staging = config.warehouse().stagingTable(experiment);
        String base = StateTables.PREFIX + experiment.value();
        if (base.getBytes(StandardCharsets.UTF_8).length > MAX_BASE_BYTES) {
            String hash = sha256(experiment.value()).substring(0, 8);
            StringBuilder cut = new StringBuilder();
            base.codePoints().forEachOrdered(codePoint -> {
                String next = cut + new String(Character.toChars(codePoint));
                if (next.getBytes(StandardCharsets.UTF_8).length <= MAX_BASE_BYTES - 9) {
                    cut.append(Character.toChars(codePoint));
                }
            });
            base = cut + "_" + hash;
        }
        return new StateTables(staging.sibling(base));
    }

    /**
     * Refreshes the state of {@code experiment} in {@code transaction} (on {@code warehouse}'s connection) and
     * returns its moments. An experiment whose statement the state cannot hold ({@link IncrementalSql#unsupported})
     * is read in full, and the summary says why.
     */
    public static Outcome refresh(PulseConfig config, ExperimentName experiment, Warehouse warehouse,
                                  Transaction transaction, Settings settings) {
        ExperimentPlan plan = Planner.plan(config, experiment);
        LocalDate start = LocalDate.ofInstant(plan.window().start(), ZoneOffset.UTC);
        Optional<String> unsupported = IncrementalSql.unsupported(plan);
        if (unsupported.isPresent()) {
            return new Outcome(MomentsFetcher.fetch(config, experiment, warehouse), true, start,
                    "incremental: read in full, as every run: the experiment has " + unsupported.get()
                            + ", which the state cannot hold (docs/incremental.md#what-is-read-in-full)");
        }
        Dialect dialect = Dialects.forEngine(warehouse.engine());
        SqlRenderer renderer = SqlRenderer.of(dialect);
        IncrementalSql sql = IncrementalSql.of(dialect);
        StateTables state = state(config, experiment);
        SourceSetup.prepare(plan, warehouse);

        // a second refresh of the experiment waits here until this one commits
        TableStatements.of(dialect).lockForWriting(state.meta()).forEach(transaction::execute);
        transaction.execute(sql.createMeta(state));
        transaction.execute(sql.createRows(state));
        String statement = renderer.render(plan);
        String fingerprint = fingerprint(LAYOUT, statement);
        QueryResult metaTable = transaction.query(sql.selectAll(state.meta()));
        if (!metaTable.columns().equals(IncrementalSql.META_COLUMNS)) { // a state of an earlier layout
            transaction.execute(sql.drop(state.meta()));
            transaction.execute(sql.createMeta(state));
            metaTable = transaction.query(sql.selectAll(state.meta()));
        }
        List<QueryResult.Row> meta = metaTable.rows();

        Optional<String> rebuildBecause = settings.fullRefresh() ? Optional.of("--full-refresh")
                : meta.isEmpty() ? Optional.of("no state yet")
                : meta.get(0).get(IncrementalSql.COMPLETE) == null || meta.get(0).getLong(IncrementalSql.COMPLETE) != 1
                        ? Optional.of("the last refresh did not finish: it was killed or failed while writing the state")
                : !fingerprint.equals(meta.get(0).getString("fingerprint"))
                        ? Optional.of(builtByAnEarlierPulse(meta.get(0).getString("fingerprint"), statement)
                                ? "the state was built by an earlier version of Pulse, whose state tables differ"
                                : "the experiment's definition changed since the state was built")
                        : meta.get(0).get(IncrementalSql.DAY) == null ? Optional.of("the state holds no day yet")
                        : Optional.empty();

        Map<String, Map<Long, Long>> counts = new TreeMap<>();
        Map<String, Integer> slack = new TreeMap<>();
        if (settings.checkHistory()) {
            for (IncrementalSql.RowCount count : sql.rowCounts(plan)) {
                slack.put(count.source(), count.slack());
                Map<Long, Long> days = new TreeMap<>();
                if (!count.perFile()) {
                    for (QueryResult.Row row : transaction.query(count.sql()).rows()) {
                        days.put(row.getLong(IncrementalSql.DAY), row.getLong("n"));
                    }
                    counts.put(count.source(), days);
                    continue;
                }
                // each file under its own key: a new, changed or removed file is a change on its first day
                for (QueryResult.Row row : transaction.query(count.sql()).rows()) {
                    counts.computeIfAbsent(count.source() + "|" + row.getString("file"), file -> new TreeMap<>())
                            .put(row.getLong(IncrementalSql.DAY), row.getLong("n"));
                }
            }
        }

        // from here until the meta is written again the state is incomplete: marked where statements commit alone
        // (Spark); in a transaction nobody sees the state midway, and a failure rolls every write back
        if (!dialect.transactionalDdl()) {
            writeMeta(sql, state, transaction, fingerprint, null, null, false);
        }
        String summary;
        boolean rebuilt = rebuildBecause.isPresent();
        int fromDay;
        if (rebuilt) {
            fromDay = 0;
            sql.rebuild(plan, state).forEach(transaction::execute);
            summary = "incremental: state rebuilt from every day (" + rebuildBecause.get() + ")";
        } else {
            int watermark = Math.toIntExact(meta.get(0).getLong(IncrementalSql.DAY));
            fromDay = watermark + 1 - settings.lookbackDays();
            String late = "";
            if (settings.checkHistory()) {
                Optional<Long> changedDay = firstChangedDay(transaction.query(sql.selectAll(state.rows())).rows(), counts,
                        slack, fromDay);
                if (changedDay.isPresent()) {
                    fromDay = Math.toIntExact(changedDay.get());
                    late = "; rows changed on " + start.plusDays(fromDay) + ", before the " + settings.lookbackDays()
                            + "-day lookback: read again from that day";
                }
            }
            Object lastDay = meta.get(0).get(IncrementalSql.LAST_DAY);
            Update updated = update(plan, sql, state, transaction, fromDay,
                    lastDay == null ? Optional.empty() : Optional.of(Math.toIntExact(((Number) lastDay).longValue())));
            summary = "incremental: read the days from " + start.plusDays(updated.partsFrom()) + " on ("
                    + updated.changedUnits() + " units new or with a new first exposure); the state holds the days before"
                    + late;
            fromDay = updated.partsFrom();
        }
        if (settings.checkHistory()) {
            List<List<Object>> rows = new ArrayList<>();
            counts.forEach((source, days) -> days.forEach((day, n) -> rows.add(List.of(source, day, n))));
            sql.replaceRows(state.rows(), rows).forEach(bound -> run(transaction, bound));
        }
        QueryResult.Row held = transaction.query(sql.watermark(plan, state)).rows().get(0);
        writeMeta(sql, state, transaction, fingerprint, held.get(IncrementalSql.DAY), held.get(IncrementalSql.LAST_DAY), true);

        String fromState = renderer.renderFromState(plan, state);
        ExperimentData data = MomentsFetcher.toData(plan, transaction.query(fromState), fromState);
        return new Outcome(data, rebuilt, start.plusDays(fromDay), summary);
    }

    /**
     * Replaces the exposures from {@code fromDay} on, then every part from the earliest day a changed unit needs (see
     * {@link IncrementalSql#changedUnits}) or {@code fromDay}, whichever is earlier; returns that day and how many units
     * changed.
     */
    private record Update(int partsFrom, int changedUnits) {}

    private static Update update(ExperimentPlan plan, IncrementalSql sql, StateTables state, Transaction transaction,
                                int fromDay, Optional<Integer> lastDay) {
        sql.replaceExposures(plan, state, fromDay, lastDay).forEach(transaction::execute);
        QueryResult.Row changed = transaction.query(sql.changedUnits(plan, state, fromDay)).rows().get(0);
        Object earliest = changed.get(IncrementalSql.DAY);
        int lookback = plan.cuped().map(cuped -> cuped.lookbackDays()).orElse(0);
        int triggersFrom = earliest == null ? fromDay : Math.min(fromDay, Math.toIntExact(((Number) earliest).longValue()));
        // a changed unit's pre-period starts the lookback before its first exposure
        int partsFrom = earliest == null ? fromDay : Math.min(fromDay, triggersFrom - lookback);
        sql.replaceUnits(state).forEach(transaction::execute);
        sql.replaceParts(plan, state, triggersFrom, new IncrementalSql.Bounds(partsFrom), lastDay).forEach(transaction::execute);
        return new Update(partsFrom, Math.toIntExact(changed.getLong("n")));
    }

    /** Replaces the meta's row: the fingerprint, the watermark and last day held (numbers or null), and the mark. */
    private static void writeMeta(IncrementalSql sql, StateTables state, Transaction transaction, String fingerprint,
                                  Object watermark, Object lastDay, boolean complete) {
        List<Object> row = new ArrayList<>();
        row.add(fingerprint);
        row.add(watermark == null ? null : ((Number) watermark).longValue());
        row.add(lastDay == null ? null : ((Number) lastDay).longValue());
        row.add(complete ? 1L : 0L);
        sql.replaceRows(state.meta(), List.of(row)).forEach(statement -> run(transaction, statement));
    }

    private static void run(Transaction transaction, BoundStatement statement) {
        if (statement.parameters().isEmpty()) {
            transaction.execute(statement.sql());
        } else {
            transaction.executeBatch(statement.sql(), List.of(statement.parameters()));
        }
    }

    /**
     * The statements of a refresh on an engine without transactions ({@link Dialect#keepsIncrementalState} but not
     * {@link Dialect#transactionalDdl}: Spark), each run on {@code warehouse} and committed on its own; a batch runs
     * its statement once per row, the row's values bound to the dialect's parameter markers.
     */
    public static Transaction eachOnItsOwn(Warehouse warehouse) {
        return new Transaction() {
            @Override
            public void execute(String statement) {
                warehouse.execute(statement);
            }

            @Override
            public void executeBatch(String statement, List<List<Object>> rows) {
                rows.forEach(row -> warehouse.execute(statement, row));
            }

            @Override
            public QueryResult query(String statement) {
                return warehouse.query(statement);
            }
        };
    }

    /**
     * The first day to read again for a row count that differs, before {@code fromDay}, between what was recorded and
     * what is there now: its day, less the source's slack.
     */
    private static Optional<Long> firstChangedDay(List<QueryResult.Row> recorded, Map<String, Map<Long, Long>> now,
                                                  Map<String, Integer> slack, int fromDay) {
        Map<String, Map<Long, Long>> before = new TreeMap<>();
        for (QueryResult.Row row : recorded) {
            before.computeIfAbsent(row.getString("source"), source -> new TreeMap<>())
                    .put(row.getLong(IncrementalSql.DAY), row.getLong("n"));
        }
        TreeSet<Long> changed = new TreeSet<>();
        TreeSet<String> sources = new TreeSet<>(before.keySet());
        sources.addAll(now.keySet());
        for (String source : sources) {
            Map<Long, Long> a = before.getOrDefault(source, Map.of());
            Map<Long, Long> b = now.getOrDefault(source, Map.of());
            TreeSet<Long> days = new TreeSet<>(a.keySet());
            days.addAll(b.keySet());
            long earlier = slack.getOrDefault(source, 0);
            for (long day : days) {
                if (day - earlier < fromDay && !Objects.equals(a.getOrDefault(day, 0L), b.getOrDefault(day, 0L))) {
                    changed.add(day - earlier);
                }
            }
        }
        return changed.isEmpty() ? Optional.empty() : Optional.of(changed.first());
    }

    /** The state's fingerprint: SHA-256 of its layout and the experiment's full-run statement. */
    static String fingerprint(String layout, String statement) {
        return sha256(layout + "\n" + statement);
    }

    private static boolean builtByAnEarlierPulse(String fingerprint, String statement) {
        return EARLIER_LAYOUTS.stream().anyMatch(layout -> fingerprint(layout, statement).equals(fingerprint));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
