package dev.pulse.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zetasql.Type;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.TableName;
import dev.pulse.plan.Planner;
import dev.pulse.sql.dialect.BigQueryDialect;
import dev.pulse.sqltext.Lexicon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement Pulse renders for BigQuery passes ZetaSQL's analysis (issue 12): the golden statement of every
 * case (pulse-core's {@code golden/<case>/bigquery.sql}, which GoldenSqlTest, PercentileGoldenSqlTest,
 * FunnelGoldenSqlTest and TimeseriesGoldenSqlTest hold equal to what the renderers produce), the staging table of
 * every golden case, and the results table's statements, each with its positional parameters typed as the BigQuery
 * warehouse binds them. And the check can fail: a misspelled column and a type error are refused.
 */
class BigQueryZetaSqlTest {
    private static final Path GOLDEN = Path.of("..", "pulse-core", "src", "test", "resources", "golden");
    private static final BigQueryDialect DIALECT = BigQueryDialect.DEFAULT;
    private static ZetaSqlCheck check;

    @BeforeAll
    static void loadZetaSql() {
        check = new ZetaSqlCheck();
    }

    static Stream<Arguments> goldenCases() throws IOException {
        try (Stream<Path> cases = Files.list(GOLDEN)) {
            return cases.sorted().map(folder -> Arguments.of(folder.getFileName().toString())).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void theGoldenStatementPassesAnalysis(String name) throws IOException {
        Path file = GOLDEN.resolve(name).resolve("bigquery.sql");
        assertTrue(Files.exists(file), file + " is missing: every golden case renders for BigQuery");
        String sql = Files.readString(file, StandardCharsets.UTF_8);
        int parameters = Lexicon.BIGQUERY.scan(sql).parameters().size();
        passes(sql, ZetaSqlCheck.strings(parameters));
    }

    @Test
    void everyGoldenCaseOfTheGoldenTestsIsAFolderHere() throws IOException {
        long folders = goldenCases().count();
        // GoldenSqlTest's cases, the 4 percentile, 2 funnel and 1 timeseries folders
        assertEquals(GoldenSqlTest.cases().count() + 4 + 2 + 1, folders);
    }

    static Stream<Arguments> configs() {
        return GoldenSqlTest.cases().map(c -> Arguments.of(c.get()[0],
                GoldenSqlTest.forDialect((PulseConfig) c.get()[1], DIALECT)));
    }

    /** {@code pulse analyze --materialize}: the staging table of each case, replaced by one CREATE OR REPLACE TABLE. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void theStagingTableStatementsPassAnalysis(String name, PulseConfig config) {
        String units = SqlRenderer.of(DIALECT).renderUnits(Planner.plan(config, new ExperimentName("exp")));
        TableName staging = new TableName(List.of("pulse", "pulse_staging_exp"));
        TableStatements statements = TableStatements.of(DIALECT);
        TableStatements.Replacement replacement = statements.replaceTable(staging, units, "r1");
        List<String> all = new ArrayList<>(statements.createSchema(staging));
        all.addAll(replacement.build());
        all.addAll(replacement.swap());
        assertEquals(List.of("CREATE SCHEMA IF NOT EXISTS `pulse`"), all.subList(0, 1));
        assertTrue(all.get(1).startsWith("CREATE OR REPLACE TABLE `pulse`.`pulse_staging_exp` AS\n"), all.get(1));
        assertEquals(2, all.size());
        all.forEach(sql -> passes(sql, List.of()));
    }

    /** The results table: created when missing, then one experiment's rows deleted and inserted (bound values). */
    @Test
    void theResultsTableStatementsPassAnalysis() {
        TableName results = new TableName(List.of("reporting", "pulse_results"));
        TableStatements statements = TableStatements.of(DIALECT);
        statements.createSchema(results).forEach(sql -> passes(sql, List.of()));
        passes(statements.createResultsTable(results), List.of());
        passes(statements.deleteExperiment(results), List.of(ZetaSqlCheck.string()));
        List<Type> row = List.of(ZetaSqlCheck.string(), ZetaSqlCheck.timestamp(), ZetaSqlCheck.string(),
                ZetaSqlCheck.string(), ZetaSqlCheck.string(), ZetaSqlCheck.string(), ZetaSqlCheck.float64());
        passes(statements.insertResult(results), row);
        passes(statements.dropTable(results), List.of());
        List<TableStatements.Column> columns = List.of(new TableStatements.Column("run_id", TableStatements.ColumnType.TEXT),
                new TableStatements.Column("value", TableStatements.ColumnType.DOUBLE));
        passes(statements.selectColumns(results, columns), List.of());
        passes(statements.insertRow(results, columns), List.of(ZetaSqlCheck.string(), ZetaSqlCheck.float64()));
        statements.recreateTable(new TableName(List.of("reporting", "copy")), columns).forEach(sql -> passes(sql, List.of()));
    }

    // --- the check can fail -------------------------------------------------------------------------

    @Test
    void aMisspelledColumnIsRefused() throws IOException {
        String sql = Files.readString(GOLDEN.resolve("one_source").resolve("bigquery.sql"), StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), check.problem(sql, List.of()));
        Optional<String> problem = check.problem(sql.replaceFirst("`src`\\.`variant`", "`src`.`varaint`"), List.of());
        assertTrue(problem.orElseThrow().contains("varaint"), problem.toString());
    }

    @Test
    void aTypeErrorIsRefused() {
        Optional<String> problem = check.problem("SELECT `org` + 1 FROM `events`", List.of());
        assertTrue(problem.orElseThrow().contains("No matching signature for operator +"), problem.toString());
        assertTrue(problem.get().contains("STRING, INT64"), problem.get());
    }

    @Test
    void anUnknownTableAndAnUnknownFunctionAreRefused() {
        assertTrue(check.problem("SELECT 1 FROM `analytics`.`evnts`", List.of()).orElseThrow().contains("evnts"));
        assertTrue(check.problem("SELECT QUANTILE_CONT(`revenue`, 0.5) FROM `events`", List.of()).orElseThrow()
                .contains("QUANTILE_CONT"));
        // PostgreSQL's and Spark's forms are not BigQuery's
        assertTrue(check.problem("SELECT CAST(`revenue` AS DOUBLE PRECISION) FROM `events`", List.of()).isPresent());
        assertTrue(check.problem("SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY `revenue`) FROM `events`",
                List.of()).isPresent());
    }

    @Test
    void aBoundParameterOfTheWrongTypeIsRefused() {
        TableName results = new TableName(List.of("reporting", "pulse_results"));
        String insert = TableStatements.of(DIALECT).insertResult(results);
        assertTrue(check.problem(insert, ZetaSqlCheck.strings(7)).isPresent(), "a STRING into the FLOAT64 column");
    }

    private static void passes(String sql, List<Type> parameters) {
        Optional<String> problem = check.problem(sql, parameters);
        assertEquals(Optional.empty(), problem, () -> "ZetaSQL refuses:\n" + sql);
    }
}
