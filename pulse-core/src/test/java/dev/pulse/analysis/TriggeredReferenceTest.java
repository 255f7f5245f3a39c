package dev.pulse.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.model.ExperimentName;
import dev.pulse.model.MetricName;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.stats.GroupMoments;
import dev.pulse.warehouse.DuckDbWarehouse;
import dev.pulse.warehouse.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Triggered analysis against an independent reference: {@code src/test/python/reference_triggered.py} reads the
 * raw rows of {@code src/test/resources/triggered/} (those of {@link TriggeredMomentsTest}) with numpy, applies
 * the rules of docs/triggered-analysis.md row by row and wrote {@code expected.json}; Pulse's SQL over the same
 * CSV files must give the same units and moments to 1e-12.
 */
class TriggeredReferenceTest {
    private static final Path DATA = Path.of("src", "test", "resources", "triggered");

    @Test
    void pulseMatchesTheReferenceComputedFromTheRawRows() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(Files.readString(DATA.resolve("expected.json")));
        try (Warehouse warehouse = DuckDbWarehouse.open(WarehouseConfig.inMemoryDuckDb())) {
            for (String table : new String[] {"exposures", "page_views", "events"}) {
                warehouse.execute("CREATE TABLE " + table + " AS SELECT * FROM read_csv('"
                        + DATA.resolve(table + ".csv").toAbsolutePath() + "', header = true, auto_detect = true)");
            }
            ExperimentData data = MomentsFetcher.fetch(TriggeredMomentsTest.config(false), new ExperimentName("exp"),
                    warehouse);
            assertEquals(expected.get("excluded_not_triggered").asLong(), data.excludedNotTriggered());
            for (Iterator<Map.Entry<String, JsonNode>> metrics = expected.get("metrics").fields(); metrics.hasNext(); ) {
                Map.Entry<String, JsonNode> metric = metrics.next();
                Map<String, GroupMoments> groups = data.moments().get(new MetricName(metric.getKey()));
                for (Iterator<Map.Entry<String, JsonNode>> it = metric.getValue().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> group = it.next();
                    JsonNode m = group.getValue();
                    CupedMomentsTest.assertMoments(groups.get(group.getKey()), m.get("n").asLong(),
                            m.get("mean_x").asDouble(), m.get("mean_y").asDouble(), m.get("var_x").asDouble(),
                            m.get("var_y").asDouble(), m.get("cov_xy").asDouble());
                }
            }
        }
    }
}
