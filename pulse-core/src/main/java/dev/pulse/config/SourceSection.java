package dev.pulse.config;

import dev.pulse.model.Engine;
import dev.pulse.model.IdType;
import dev.pulse.model.Relation;
import dev.pulse.model.Source;
import dev.pulse.model.SourceName;
import dev.pulse.sqltext.Lexicon;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Reads {@code sources:}: where rows come from, their timestamp and ID columns. */
final class SourceSection {
    static final List<String> KEYS = ConfigSchema.SOURCE.names();
    private static final List<String> RELATION_KEYS = ConfigSchema.SOURCE.exactlyOne();
    /**
     * The names of the steps (CTEs) of Pulse's statements (sql.SqlRenderer and the other renderers): every one is
     * pulse_ and a name below, and a one-part table name matching one would name the step, not the table.
     */
    static final java.util.regex.Pattern STEP_NAMES = java.util.regex.Pattern.compile("pulse_(exposures|units|triggers"
            + "|unit_values|caps|capped_values|pilots|shifted_values|moments|exclusions|staging|days|unit_days|cumulative"
            + "|daily_pilots|daily_shifted|daily_moments|dimension_counts|dimension_buckets|funnel_rows|funnel_values"
            + "|funnel_counts|id_links|id_candidates|id_map|id_rows|id_exclusions|percentile_rows|group_quantiles"
            + "|unit_counts|(pass_|daily_|daily_rows_|other_exposures|staged_pass)[0-9]+|step_.*)");
    private static final List<String> FORMATS = ConfigSchema.FORMATS.values();
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*://.*");

    /**
     * The sources that parsed, and every name declared (also those that failed to parse, so that
     * references to them raise no second problem).
     */
    record Result(Map<SourceName, Source> parsed, Set<String> declared, Set<String> idTypes, boolean complete) {
        /** No sources section to check references against: references are not checked. */
        static Result absent() {
            return new Result(Map.of(), Set.of(), Set.of(), false);
        }
    }

    private final Problems problems;
    private final Path configFolder;
    private final Optional<Engine> engine;
    private final Set<String> idTypes = new LinkedHashSet<>();

    SourceSection(Problems problems, Path configFolder) {
        this(problems, configFolder, Optional.empty());
    }

    /** Sources read by {@code engine} (empty when the warehouse failed to parse: engine checks are skipped). */
    SourceSection(Problems problems, Path configFolder, Optional<Engine> engine) {
        this.problems = problems;
        this.configFolder = configFolder;
        this.engine = engine;
    }

    Result read(Node node, String path) {
        Map<SourceName, Source> parsed = new LinkedHashMap<>();
        Set<String> declared = new LinkedHashSet<>();
        Optional<Map<String, Nodes.Entry>> mapping = Nodes.mapping(node, path, problems, "a map of source name to source");
        mapping.ifPresent(entries -> {
            for (Nodes.Entry entry : entries.values()) {
                String name = entry.key().getValue();
                declared.add(name);
                String sourcePath = Nodes.child(path, name);
                Optional<SourceName> sourceName = Names.source(entry.key(), sourcePath, problems);
                Optional<Source> source = readSource(sourceName, entry.value(), sourcePath);
                if (sourceName.isPresent() && source.isPresent()) {
                    parsed.put(sourceName.get(), source.get());
                }
            }
        });
        return new Result(parsed, declared, idTypes, mapping.isPresent());
    }

    private Optional<Source> readSource(Optional<SourceName> name, Node node, String path) {
        Optional<Fields> read = Fields.read(node, path, problems, KEYS,
                "a map with one of path, table or sql, a timestamp and ids");
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Fields fields = read.get();
        Optional<Relation> relation = relation(fields);
        Optional<String> timestamp = fields.requiredText("timestamp", "the column with each row's time");
        Optional<String> datePartition = fields.optionalText("date_partition",
                "the column holding each row's date, by which the source is partitioned");
        Map<IdType, String> ids = ids(fields);
        Optional<Source.AssignmentColumns> assignment = assignmentColumns(fields);
        if (fields.failed() || name.isEmpty() || relation.isEmpty() || timestamp.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Source(name.get(), relation.get(), timestamp.get(), ids, assignment, datePartition));
    }

    private Optional<Relation> relation(Fields fields) {
        List<String> given = RELATION_KEYS.stream().filter(fields::has).toList();
        if (given.isEmpty()) {
            fields.problem("missing one of 'path', 'table' or 'sql' (where the rows come from)");
            return Optional.empty();
        }
        if (given.size() > 1) {
            String second = given.get(1);
            problems.add(fields.keyNode(second).orElseThrow(), fields.path(second),
                    "give exactly one of 'path', 'table' or 'sql', not both '" + given.get(0) + "' and '" + second + "'");
            fields.fail();
            return Optional.empty();
        }
        String kind = given.get(0);
        if (!kind.equals("path") && fields.has("format")) {
            problems.add(fields.keyNode("format").orElseThrow(), fields.path("format"),
                    "'format' applies only to a 'path' source, not a '" + kind + "' source");
        }
        if (kind.equals("path") && !engine.orElse(Engine.DUCKDB).readsFiles()) {
            fields.problemAt("path", "engine " + engine.get().configName() + " cannot read files: load the file into a"
                    + " table and name it with 'table:' (or query it with 'sql:'), or use engine duckdb, which reads"
                    + " CSV and Parquet files");
            return Optional.empty();
        }
        return switch (kind) {
            case "path" -> files(fields);
            case "table" -> fields.optionalText("table", "a table name such as schema.table").flatMap(t -> table(fields, t));
            default -> fields.optionalText("sql", "one SELECT query").flatMap(sql -> query(fields, sql));
        };
    }

    private Optional<Relation> files(Fields fields) {
        Optional<String> location = fields.optionalText("path", "a CSV or Parquet file, or a glob of them");
        Optional<Relation.FileFormat> format;
        if (fields.has("format")) {
            format = fields.optionalText("format", "csv or parquet").flatMap(f -> {
                String lower = f.toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(lower)) {
                    fields.problemAt("format", "unknown format '" + f + "'" + Suggestions.hintOrList(f, FORMATS));
                    return Optional.empty();
                }
                return Optional.of(lower.equals("csv") ? Relation.FileFormat.CSV : Relation.FileFormat.PARQUET);
            });
        } else {
            format = location.flatMap(l -> {
                Optional<Relation.FileFormat> fromName = formatFromName(l);
                if (fromName.isEmpty()) {
                    fields.problemAt("path", "cannot tell the format of '" + l + "' from its name, which does not end"
                            + " in .csv, .csv.gz or .parquet (add format: csv or format: parquet)");
                }
                return fromName;
            });
        }
        if (location.isEmpty() || format.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Relation.Files(resolve(location.get()), format.get()));
    }

    static Optional<Relation.FileFormat> formatFromName(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".parquet")) {
            return Optional.of(Relation.FileFormat.PARQUET);
        }
        if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
            return Optional.of(Relation.FileFormat.CSV);
        }
        return Optional.empty();
    }

    /** A location as absolute: URLs ({@code s3://…}) and absolute paths stay, others resolve against the config's folder. */
    private String resolve(String location) {
        return resolve(location, configFolder);
    }

    static String resolve(String location, Path configFolder) {
        if (URL.matcher(location).matches()) {
            return location;
        }
        try {
            Path path = Path.of(location);
            return (path.isAbsolute() ? path : configFolder.resolve(path)).normalize().toString();
        } catch (InvalidPathException e) {
            // a glob character the platform rejects in a path; DuckDB still reads it
            return configFolder + configFolder.getFileSystem().getSeparator() + location;
        }
    }

    private Optional<Relation> table(Fields fields, String table) {
        List<String> parts = List.of(table.strip().split("\\.", -1));
        if (parts.stream().anyMatch(String::isBlank)) {
            fields.problemAt("table", "expected a table name such as events or schema.events, got '" + table + "'");
            return Optional.empty();
        }
        if (parts.size() == 1 && STEP_NAMES.matcher(parts.get(0).strip().toLowerCase(java.util.Locale.ROOT)).matches()) {
            // inside Pulse's statements this one-part name would name one of its own CTEs, not the table
            fields.problemAt("table", "'" + parts.get(0).strip() + "' is the name of a step (CTE) of Pulse's own"
                    + " statements; qualify the table with its schema, such as main." + parts.get(0).strip()
                    + " or public." + parts.get(0).strip());
            return Optional.empty();
        }
        return Optional.of(new Relation.Table(parts.stream().map(String::strip).toList()));
    }

    private Optional<Relation> query(Fields fields, String sql) {
        SqlText.Checked checked = SqlText.query(sql, engine.map(e -> List.of(Lexicon.of(e))).orElse(List.of(Lexicon.values())));
        checked.problem().ifPresent(p -> fields.problemAt("sql", p));
        return checked.text().map(Relation.Query::new);
    }

    private Map<IdType, String> ids(Fields fields) {
        Map<IdType, String> ids = new LinkedHashMap<>();
        if (!fields.require("ids", "a map of ID type to column, such as {user_id: user_id}")) {
            return ids;
        }
        Node node = fields.value("ids").orElseThrow();
        String path = fields.path("ids");
        Optional<Map<String, Nodes.Entry>> entries = fields.check(
                Nodes.mapping(node, path, problems, "a map of ID type to column, such as {user_id: user_id}"));
        if (entries.isEmpty()) {
            return ids;
        }
        if (entries.get().isEmpty()) {
            fields.problemAt("ids", "ids is empty (name at least one ID type and its column)");
            return ids;
        }
        for (Nodes.Entry entry : entries.get().values()) {
            idTypes.add(entry.key().getValue());
            String idPath = Nodes.child(path, entry.key().getValue());
            Optional<IdType> idType = fields.check(Names.idType(entry.key(), idPath, problems));
            Optional<String> column = fields.check(Nodes.text(entry.value(), idPath, problems, "a column name"));
            if (idType.isPresent() && column.isPresent()) {
                ids.put(idType.get(), column.get());
            }
        }
        return ids;
    }

    private Optional<Source.AssignmentColumns> assignmentColumns(Fields fields) {
        boolean experiment = fields.has("experiment");
        boolean group = fields.has("group");
        if (!experiment && !group) {
            return Optional.empty();
        }
        if (experiment != group) {
            String given = experiment ? "experiment" : "group";
            String missing = experiment ? "group" : "experiment";
            problems.add(fields.keyNode(given).orElseThrow(), fields.path(given),
                    "an assignment source needs both 'experiment' and 'group' columns, but '" + missing + "' is missing");
            fields.fail();
            return Optional.empty();
        }
        Optional<String> experimentColumn = fields.optionalText("experiment", "the column with the experiment's name");
        Optional<String> groupColumn = fields.optionalText("group", "the column with the group's name");
        if (experimentColumn.isEmpty() || groupColumn.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Source.AssignmentColumns(experimentColumn.get(), groupColumn.get()));
    }
}
