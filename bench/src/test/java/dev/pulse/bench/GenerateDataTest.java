package dev.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The concurrent exposures of issue 14 (GenerateData.CONCURRENT), on a small data set. */
class GenerateDataTest {

    @Test
    void theSameArgumentsGiveTheSameBytes(@TempDir Path temp) throws Exception {
        GenerateData.generate(20_000, 2_000, temp.resolve("a"));
        GenerateData.generate(20_000, 2_000, temp.resolve("b"));
        for (String file : new String[] {"events.parquet", "exposures.parquet", "exposures-concurrent.parquet"}) {
            assertArrayEquals(Files.readAllBytes(temp.resolve("a").resolve(file)),
                    Files.readAllBytes(temp.resolve("b").resolve(file)), file);
        }
    }

    @Test
    void theConcurrentExposuresAreTheBenchOnesPlusCountryAndASecondIndependentExperiment(@TempDir Path temp)
            throws Exception {
        GenerateData.generate(20_000, 4_000, temp);
        String exposures = "read_parquet('" + GenerateData.sqlPath(temp.resolve("exposures.parquet")) + "')";
        String concurrent = "read_parquet('" + GenerateData.sqlPath(temp.resolve("exposures-concurrent.parquet")) + "')";
        String bench = "(SELECT org_id, exposed_at, experiment_name, variant FROM " + concurrent
                + " WHERE experiment_name = 'bench')";
        String original = "(SELECT org_id, exposed_at, experiment_name, variant FROM " + exposures + ")";
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            // the bench rows, duplicates included, are exposures.parquet's
            assertEquals("0", one(connection, "SELECT count(*) FROM (" + bench + " EXCEPT ALL " + original + ")"));
            assertEquals("0", one(connection, "SELECT count(*) FROM (" + original + " EXCEPT ALL " + bench + ")"));
            assertEquals(List.of("bench", "pricing"),
                    column(connection, "SELECT DISTINCT experiment_name FROM " + concurrent + " ORDER BY 1"));
            // country is an attribute of the org: one value (or NULL) across all its rows
            assertEquals("0", one(connection, "SELECT count(*) FROM (SELECT org_id FROM " + concurrent
                    + " GROUP BY org_id HAVING count(DISTINCT coalesce(country, '(null)')) > 1)"));
            assertEquals(List.of("BR", "DE", "FR", "GB", "JP", "US"),
                    column(connection, "SELECT DISTINCT country FROM " + concurrent + " WHERE country IS NOT NULL ORDER BY 1"));
            // pricing: 70 % of the 4 000 orgs; control 50 %, v1 and v2 25 % each (binomial SDs: 0.7 %, 1 %, 0.8 %)
            String pricing = "(SELECT DISTINCT org_id, variant FROM " + concurrent + " WHERE experiment_name = 'pricing')";
            assertEquals(0.7, Double.parseDouble(one(connection, "SELECT count(*) / 4000 FROM " + pricing)), 0.03);
            List<String> shares = column(connection, "SELECT count(*) / sum(count(*)) OVER () FROM " + pricing
                    + " GROUP BY variant ORDER BY variant");
            assertEquals(0.5, Double.parseDouble(shares.get(0)), 0.04);
            assertEquals(0.25, Double.parseDouble(shares.get(1)), 0.04);
            assertEquals(0.25, Double.parseDouble(shares.get(2)), 0.04);
            // independent of bench's assignment: the share of bench treatment is about the same in each pricing group
            // (a hash(o, salt) draw was a function of bench's variant: DuckDB's salts are XORs)
            for (String share : column(connection, "SELECT avg(CASE WHEN b.variant = 'treatment' THEN 1 ELSE 0 END) FROM "
                    + pricing + " p JOIN "
                    + "(SELECT DISTINCT org_id, variant FROM " + exposures + ") b USING (org_id) GROUP BY p.variant")) {
                double treatment = Double.parseDouble(share);
                assertTrue(treatment > 0.44 && treatment < 0.56, share);
            }
        }
    }

    private static String one(Connection connection, String sql) throws Exception {
        return column(connection, sql).get(0);
    }

    private static List<String> column(Connection connection, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
