package dev.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassesTest {

    @Test
    void splitsPulseSqlOutputIntoStatementsAndDropsComments() {
        String output = "WITH a AS (SELECT 1)\nSELECT * FROM a;\n\n-- percentile metric 'p': passes 1 and 2\nSELECT 2;\n";
        assertEquals(List.of("WITH a AS (SELECT 1)\nSELECT * FROM a", "SELECT 2"), Passes.statements(output));
    }

    @Test
    void countsParquetScansByProjectedColumns() {
        String plan = """
                [{"name": "HASH_JOIN", "children": [
                  {"name": "READ_PARQUET", "children": [], "extra_info": {"Function": "READ_PARQUET", "Projections": ["org_id", "ts"]}},
                  {"name": "TABLE_SCAN", "children": [], "extra_info": {"Function": "READ_PARQUET", "Projections": ["org_id", "variant"]}},
                  {"name": "CTE_SCAN", "children": [], "extra_info": {"CTE Index": "3"}}]}]""";
        assertEquals(1, Passes.scans(plan, Set.of("ts", "revenue")));
        assertEquals(1, Passes.scans(plan, Set.of("variant")));
    }

    @Test
    void rebuildsPassThreeFromThePercentileRowsCte() {
        String indicator = "WITH\n\"pulse_units\" AS (\n  SELECT 1\n),\n\"pulse_percentile_rows\" AS (\n  SELECT 2\n),\n"
                + "\"pulse_group_quantiles\" AS (\n  SELECT 3\n)\nSELECT 4";
        String pass3 = Passes.levelQuantiles(indicator);
        assertTrue(pass3.startsWith("WITH\n\"pulse_units\" AS (\n  SELECT 1\n),\n\"pulse_percentile_rows\" AS (\n  SELECT 2\n)\nSELECT\n"), pass3);
        assertTrue(pass3.endsWith("FROM \"pulse_percentile_rows\""), pass3);
    }
}
