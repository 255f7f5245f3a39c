package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.ServerConnection;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.plan.ExperimentPlan;
import dev.pulse.plan.Planner;
import dev.pulse.sql.IncrementalSql;
import dev.pulse.sql.SqlRenderer;
import dev.pulse.sql.StateTables;
import dev.pulse.sql.dialect.Dialects;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rebuild of the incremental state on PostgreSQL analyses every state table it creates before any later statement
 * reads it: inside the rebuild's transaction autovacuum cannot, and without statistics PostgreSQL planned the final
 * statement over the bench's 97 000 units as if they were one row, with a nested loop that ran for more than 16
 * minutes (bench/README.md). Checked on the statements themselves, in order, for the simulation's two experiments
 * (every metric kind, distinct counts, CUPED, dimensions, daily results; a trigger): each {@code CREATE TABLE t} is
 * followed by {@code ANALYZE t} before the next statement that names {@code t}, and before the statement that computes
 * the moments from the state. DuckDB, which keeps statistics as it writes, gets no such statement.
 */
class IncrementalStatisticsTest {
    private static final Pattern CREATED = Pattern.compile("^CREATE TABLE (\\S+)");
    private static final Pattern ANALYZED = Pattern.compile("^ANALYZE (\\S+)$");

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exp", "exp_triggered"})
    void postgresAnalysesEveryCreatedTableBeforeItIsRead(String name) throws IOException {
        WarehouseConfig postgres = WarehouseConfig.postgres(
                new ServerConnection("jdbc:postgresql://127.0.0.1:5432/unused", Optional.empty(), Optional.empty()));
        List<String> statements = rebuildThenMoments(postgres, new ExperimentName(name));

        Set<String> unanalysed = new HashSet<>();
        Set<String> created = new HashSet<>();
        for (String statement : statements) {
            Matcher analysed = ANALYZED.matcher(statement);
            if (analysed.matches()) {
                assertTrue(created.contains(analysed.group(1)), "analysed before it was created: " + statement);
                unanalysed.remove(analysed.group(1));
                continue;
            }
            for (String table : unanalysed) {
                if (statement.contains(table)) {
                    fail(table + " is read before it was analysed, by:\n" + statement);
                }
            }
            Matcher create = CREATED.matcher(statement);
            if (create.find() && !statement.startsWith("CREATE TABLE IF NOT EXISTS")) {
                unanalysed.add(create.group(1));
                created.add(create.group(1));
            }
        }
        assertEquals(Set.of(), unanalysed, "created and never analysed");
        // the exposures, the units, each pass's table and a distinct count's pairs (and the triggers)
        assertTrue(created.size() >= 4, created.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exp", "exp_triggered"})
    void duckDbNeedsNoAnalyse(String name) throws IOException {
        List<String> statements = rebuildThenMoments(WarehouseConfig.inMemoryDuckDb(), new ExperimentName(name));
        assertFalse(statements.stream().anyMatch(statement -> statement.startsWith("ANALYZE")), statements.toString());
    }

    /** The rebuild's statements, then the statement that computes the moments from the state. */
    private List<String> rebuildThenMoments(WarehouseConfig warehouse, ExperimentName experiment) throws IOException {
        IncrementalSimulationTest simulation = new IncrementalSimulationTest();
        simulation.folder = folder;
        PulseConfig config = simulation.config(warehouse);
        ExperimentPlan plan = Planner.plan(config, experiment);
        StateTables state = IncrementalRefresh.state(config, experiment);
        var dialect = Dialects.forEngine(warehouse.engine());
        List<String> statements = new ArrayList<>(IncrementalSql.of(dialect).rebuild(plan, state));
        statements.add(SqlRenderer.of(dialect).renderFromState(plan, state));
        return statements;
    }
}
