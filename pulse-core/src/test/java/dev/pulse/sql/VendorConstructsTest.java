package dev.pulse.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pulse.model.Engine;
import dev.pulse.model.TableName;
import dev.pulse.sql.dialect.Dialects;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For the engines that cannot run here (Snowflake, Redshift), every function, type and construct in the SQL Pulse
 * renders for them — every golden file of the engine, and the table statements — is listed in the engine's docs page
 * ({@code docs/<engine>.md}, its table "Every construct Pulse emits") with the vendor's page that documents it. A
 * renderer change that brings in a function nobody checked against the vendor's documentation fails here, naming it.
 */
class VendorConstructsTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final Path DOCS = Path.of("..", "docs");

    /** Words before a parenthesis that are syntax, not functions; the constructs they belong to are checked below. */
    private static final Set<String> SYNTAX = Set.of("AS", "IN", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "FROM",
            "JOIN", "ON", "WHERE", "SELECT", "BY", "GROUP", "SETS", "OVER", "VALUES", "EXISTS");

    /** Constructs found by their words: the name of the docs row, and its pattern. */
    private static final Map<String, Pattern> CONSTRUCTS = constructs();

    private static Map<String, Pattern> constructs() {
        Map<String, Pattern> constructs = new TreeMap<>();
        constructs.put("WITH", Pattern.compile("^WITH\\b"));
        constructs.put("CASE", Pattern.compile("\\bCASE WHEN\\b"));
        constructs.put("CAST", Pattern.compile("\\bCAST\\("));
        constructs.put("IN", Pattern.compile("\\bIN \\("));
        constructs.put("IS NULL", Pattern.compile("\\bIS (NOT )?NULL\\b"));
        constructs.put("JOIN", Pattern.compile("\\b(LEFT |CROSS )?JOIN\\b"));
        constructs.put("UNION ALL", Pattern.compile("\\bUNION ALL\\b"));
        constructs.put("GROUP BY", Pattern.compile("\\bGROUP BY\\b"));
        constructs.put("GROUPING SETS", Pattern.compile("\\bGROUPING SETS\\b"));
        constructs.put("ORDER BY", Pattern.compile("\\bORDER BY\\b"));
        constructs.put("DISTINCT", Pattern.compile("\\bDISTINCT\\b"));
        constructs.put("WITHIN GROUP", Pattern.compile("\\bWITHIN GROUP\\b"));
        constructs.put("OVER", Pattern.compile("\\bOVER \\("));
        constructs.put("ROWS BETWEEN", Pattern.compile("\\bROWS BETWEEN\\b"));
        constructs.put("INTERVAL", Pattern.compile("\\bINTERVAL\\b"));
        constructs.put("CONCATENATION", Pattern.compile("\\|\\|"));
        constructs.put("LIMIT", Pattern.compile("\\bLIMIT\\b"));
        constructs.put("CREATE TABLE", Pattern.compile("^CREATE TABLE\\b"));
        constructs.put("CREATE OR REPLACE TABLE", Pattern.compile("^CREATE OR REPLACE TABLE\\b"));
        constructs.put("CREATE SCHEMA", Pattern.compile("^CREATE SCHEMA\\b"));
        constructs.put("DROP TABLE", Pattern.compile("^DROP TABLE\\b"));
        constructs.put("ALTER TABLE RENAME", Pattern.compile("^ALTER TABLE\\b.*\\bRENAME TO\\b"));
        constructs.put("INSERT", Pattern.compile("^INSERT INTO\\b"));
        constructs.put("DELETE", Pattern.compile("^DELETE FROM\\b"));
        return constructs;
    }

    private static final Pattern FUNCTION = Pattern.compile("\\b([A-Za-z_][A-Za-z_0-9]*)\\s*\\(");
    private static final Pattern TYPE = Pattern.compile(" AS ([A-Z_]+(?: PRECISION| WITH TIME ZONE)?)(?:\\(\\d+\\))?\\)");
    private static final Pattern COLUMN_TYPE = Pattern.compile("\" ([A-Z_]+(?: PRECISION| WITH TIME ZONE)?)(?:\\(\\d+\\))?[,)\\n]");

    static Stream<Arguments> engines() {
        return Stream.of(Arguments.of(Engine.SNOWFLAKE, "https://docs.snowflake.com/"),
                Arguments.of(Engine.REDSHIFT, "https://docs.aws.amazon.com/redshift/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void everyConstructInTheSqlIsDocumentedWithTheVendorsPage(Engine engine, String vendorDocs) throws IOException {
        Dialect dialect = Dialects.forEngine(engine);
        List<String> statements = new ArrayList<>();
        try (Stream<Path> cases = Files.list(GOLDEN)) {
            for (Path folder : cases.sorted().toList()) {
                Path file = folder.resolve(engine.configName() + ".sql");
                assertTrue(Files.exists(file), file + " is missing: every golden case renders for " + engine.configName());
                statements.add(Files.readString(file));
            }
        }
        statements.addAll(tableStatements(dialect));
        statements.addAll(sourceStatements(dialect));
        Map<String, String> documented = documented(DOCS.resolve(engine.configName() + ".md"));
        Set<String> used = new TreeSet<>();
        for (String statement : statements) {
            used.addAll(constructsIn(statement));
        }
        List<String> missing = used.stream().filter(name -> !documented.containsKey(name)).toList();
        assertTrue(missing.isEmpty(), "not in docs/" + engine.configName() + ".md's table of constructs: " + missing);
        documented.forEach((name, url) -> assertTrue(url.startsWith(vendorDocs),
                name + " is documented with " + url + ", not a page under " + vendorDocs));
        assertTrue(used.size() > 30, "too few constructs found, the scan is broken: " + used);
    }

    /** What a statement uses: functions, types and constructs, outside quotes and comments. */
    static Set<String> constructsIn(String sql) {
        String text = sql.replaceAll("(?m)--.*$", "")
                .replaceAll("'(?:[^'\\\\]|''|\\\\.)*'", "''")
                .replaceAll("\"(?:[^\"]|\"\")*\"", "\"\"");
        Set<String> found = new TreeSet<>();
        Matcher function = FUNCTION.matcher(text);
        while (function.find()) {
            String name = function.group(1).toUpperCase(java.util.Locale.ROOT);
            if (!SYNTAX.contains(name) && !text.substring(function.start(), function.end()).matches("[A-Z_]+\\s*\\(\\d+\\)")) {
                found.add(name);
            }
        }
        boolean columnDefinitions = text.startsWith("CREATE TABLE") && !text.contains(" AS\n");
        for (Pattern pattern : columnDefinitions ? List.of(TYPE, COLUMN_TYPE) : List.of(TYPE)) {
            Matcher type = pattern.matcher(text);
            while (type.find()) {
                found.add(type.group(1));
            }
        }
        String flat = text.strip().replaceAll("\\s+", " ");
        CONSTRUCTS.forEach((name, pattern) -> {
            if (pattern.matcher(flat).find()) {
                found.add(name);
            }
        });
        return found;
    }

    /** The rows {@code | `NAME`, `OTHER` | … | [page](url) |} (a ✓ may follow the link) of the docs page's table of constructs: name → url. */
    static Map<String, String> documented(Path page) throws IOException {
        Map<String, String> rows = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| (`[^|]+`) \\|.*\\]\\((https?://[^)]+)\\)( ✓)? \\|$");
        Pattern name = Pattern.compile("`([^`]+)`");
        for (String line : Files.readAllLines(page)) {
            Matcher matcher = row.matcher(line);
            if (matcher.matches()) {
                Matcher names = name.matcher(matcher.group(1));
                while (names.find()) {
                    rows.put(names.group(1), matcher.group(2));
                }
            }
        }
        return rows;
    }

    /** The statements about a source: its experiments and groups (assignment checks), a probe of its columns. */
    private static List<String> sourceStatements(Dialect dialect) {
        dev.pulse.model.PulseConfig config = GoldenSqlTest.forDialect(
                (dev.pulse.model.PulseConfig) GoldenSqlTest.cases().findFirst().orElseThrow().get()[1], dialect);
        dev.pulse.plan.ExperimentPlan plan = dev.pulse.plan.Planner.plan(config, new dev.pulse.model.ExperimentName("exp"));
        AssignmentSql assignment = AssignmentSql.of(dialect);
        return List.of(assignment.experiments(plan.assignment(), 100),
                assignment.groups(plan.assignment(), "exp", plan.window(), 100),
                SqlRenderer.of(dialect).probeColumns(plan.assignment().relation(), List.of("org", "ts")));
    }

    /** Every table statement Pulse runs (staging, results and copied tables). */
    private static List<String> tableStatements(Dialect dialect) {
        TableStatements tables = TableStatements.of(dialect);
        TableName table = TableName.parse("analytics.pulse_results");
        List<TableStatements.Column> columns = java.util.Arrays.stream(TableStatements.ColumnType.values())
                .map(type -> new TableStatements.Column(type.name().toLowerCase(java.util.Locale.ROOT), type)).toList();
        List<String> statements = new ArrayList<>(tables.createSchema(table));
        TableStatements.Replacement replacement = tables.replaceTable(table, "SELECT 1 AS \"x\"", "run1");
        statements.addAll(replacement.build());
        statements.addAll(replacement.swap());
        statements.add(tables.createResultsTable(table));
        statements.add(tables.deleteExperiment(table));
        statements.add(tables.insertResult(table));
        statements.addAll(tables.recreateTable(table, columns));
        statements.add(tables.insertRow(table, columns));
        statements.add(tables.selectColumns(table, columns));
        statements.add(tables.dropTable(table));
        statements.addAll(tables.lockForWriting(table));
        return statements;
    }
}
