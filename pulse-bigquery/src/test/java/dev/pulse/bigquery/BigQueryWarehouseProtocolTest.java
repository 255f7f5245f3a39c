package dev.pulse.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import dev.pulse.error.PulseException;
import dev.pulse.model.BigQuerySettings;
import dev.pulse.warehouse.QueryResult;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/**
 * The warehouse's side of BigQuery's REST protocol, against {@link FakeBigQueryRest} (no BigQuery runs here): each
 * statement is a dry run and then one job, both with the labels, the byte limit, the default dataset and GoogleSQL;
 * a dry run that says SCRIPT stops the statement before its job; a failed job is WAREHOUSE_FAILED with BigQuery's
 * message; rows come back typed; a transaction's DML runs in a session between BEGIN and COMMIT.
 */
class BigQueryWarehouseProtocolTest {
    private static final BigQuerySettings SETTINGS = new BigQuerySettings("my-analytics-project", Optional.of("EU"),
            Optional.of("analytics"), Map.of("team", "growth"), OptionalLong.of(1_000_000_000L));

    private static BigQueryWarehouse warehouse(FakeBigQueryRest fake) {
        BigQuery client = BigQueryOptions.newBuilder().setHost(fake.url()).setProjectId(SETTINGS.project())
                .setLocation("EU").setCredentials(NoCredentials.getInstance()).build().getService();
        return BigQueryWarehouse.over(client, SETTINGS);
    }

    @Test
    void aQueryIsADryRunThenOneJobWithTheLabelsAndTheLimit() throws Exception {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("grp", "STRING");
        columns.put("n", "INTEGER");
        columns.put("mean", "FLOAT");
        try (FakeBigQueryRest fake = new FakeBigQueryRest(sql -> new FakeBigQueryRest.Answer("SELECT", null, columns,
                List.of(Arrays.asList("control", "3", "0.5"), Arrays.asList("treat", "2", null)), null))) {
            QueryResult result = warehouse(fake).query("SELECT grp, n, mean FROM t WHERE x = ?", List.of("it's"));
            assertEquals(List.of("grp", "n", "mean"), result.columns());
            assertEquals("control", result.rows().get(0).getString("grp"));
            assertEquals(3L, result.rows().get(0).getLong("n"));
            assertEquals(0.5, result.rows().get(0).getDouble("mean"), 0);
            assertEquals(null, result.rows().get(1).getDouble("mean"));

            List<JsonNode> jobs = fake.jobs();
            assertEquals(2, jobs.size(), jobs.toString());
            assertTrue(jobs.get(0).path("configuration").path("dryRun").asBoolean(), jobs.get(0).toString());
            assertFalse(jobs.get(1).path("configuration").path("dryRun").asBoolean(false), jobs.get(1).toString());
            for (JsonNode job : jobs) {
                JsonNode configuration = job.path("configuration");
                JsonNode query = configuration.path("query");
                assertEquals("SELECT grp, n, mean FROM t WHERE x = ?", query.path("query").asText());
                assertFalse(query.path("useLegacySql").asBoolean(true), job.toString());
                assertEquals("growth", configuration.path("labels").path("team").asText(), job.toString());
                assertEquals("1000000000", query.path("maximumBytesBilled").asText(), job.toString());
                assertEquals("analytics", query.path("defaultDataset").path("datasetId").asText(), job.toString());
                assertEquals("EU", job.path("jobReference").path("location").asText(), job.toString());
                assertEquals("it's", query.path("queryParameters").get(0).path("parameterValue").path("value").asText());
            }
        }
    }

    @Test
    void aDryRunThatSaysScriptStopsTheStatementBeforeItsJob() throws Exception {
        try (FakeBigQueryRest fake = new FakeBigQueryRest(sql -> FakeBigQueryRest.Answer.of("SCRIPT"))) {
            PulseException refused = assertThrows(PulseException.class, () -> warehouse(fake).execute("SELECT 1"));
            assertEquals(PulseException.Category.INPUT_INVALID, refused.category());
            assertEquals(1, fake.jobs().size(), "only the dry run was sent");
        }
    }

    @Test
    void twoStatementsAreRefusedBeforeAnyRequest() throws Exception {
        try (FakeBigQueryRest fake = new FakeBigQueryRest(sql -> FakeBigQueryRest.Answer.of("SELECT"))) {
            assertThrows(PulseException.class, () -> warehouse(fake).execute("SELECT 1; DROP TABLE t"));
            assertEquals(0, fake.jobs().size());
        }
    }

    @Test
    void aFailedJobIsAWarehouseFailureWithBigQuerysMessage() throws Exception {
        try (FakeBigQueryRest fake = new FakeBigQueryRest(sql -> sql.startsWith("SELECT")
                ? new FakeBigQueryRest.Answer("SELECT", "Query exceeded limit for bytes billed: 1000000000.", Map.of(),
                        List.of(), null)
                : FakeBigQueryRest.Answer.of("SELECT"))) {
            PulseException failed = assertThrows(PulseException.class, () -> warehouse(fake).query("SELECT 1"));
            assertEquals(PulseException.Category.WAREHOUSE_FAILED, failed.category());
            assertTrue(failed.getMessage().contains("exceeded limit for bytes billed"), failed.getMessage());
        }
    }

    @Test
    void aTransactionRunsDdlAloneAndItsDmlInASessionBetweenBeginAndCommit() throws Exception {
        try (FakeBigQueryRest fake = new FakeBigQueryRest(sql -> sql.equals("BEGIN TRANSACTION")
                ? new FakeBigQueryRest.Answer("BEGIN_TRANSACTION", null, Map.of(), List.of(), "session-1")
                : FakeBigQueryRest.Answer.of(sql.split(" ")[0]))) {
            warehouse(fake).transaction(transaction -> {
                transaction.execute("CREATE TABLE IF NOT EXISTS `analytics`.`r` (`a` STRING, `v` FLOAT64)");
                transaction.executeBatch("DELETE FROM `analytics`.`r` WHERE `a` = ?", List.of(List.of("e1"), List.of("e2")));
                transaction.executeBatch("INSERT INTO `analytics`.`r` (`a`, `v`) VALUES (?, ?)",
                        List.of(Arrays.asList("e1", 1.5), Arrays.asList("e2", null)));
            });
            List<JsonNode> jobs = fake.jobs().stream()
                    .filter(job -> !job.path("configuration").path("dryRun").asBoolean(false)).toList();
            List<String> statements = jobs.stream()
                    .map(job -> job.path("configuration").path("query").path("query").asText()).toList();
            assertEquals(List.of("CREATE TABLE IF NOT EXISTS `analytics`.`r` (`a` STRING, `v` FLOAT64)",
                    "BEGIN TRANSACTION",
                    "DELETE FROM `analytics`.`r` WHERE `a` = ?",
                    "DELETE FROM `analytics`.`r` WHERE `a` = ?",
                    "INSERT INTO `analytics`.`r` (`a`, `v`) VALUES (?, ?), (?, ?)",
                    "COMMIT TRANSACTION",
                    "CALL BQ.ABORT_SESSION()"), statements);
            assertTrue(jobs.get(1).path("configuration").path("query").path("createSession").asBoolean(), jobs.get(1).toString());
            for (int i = 2; i < jobs.size(); i++) {
                JsonNode properties = jobs.get(i).path("configuration").path("query").path("connectionProperties");
                assertEquals("session_id", properties.get(0).path("key").asText(), jobs.get(i).toString());
                assertEquals("session-1", properties.get(0).path("value").asText());
            }
            // the NULL takes the FLOAT64 of its column
            JsonNode insert = jobs.get(4).path("configuration").path("query").path("queryParameters");
            assertEquals("FLOAT64", insert.get(3).path("parameterType").path("type").asText(), insert.toString());
        }
    }

    @Test
    void aFailedStatementRollsTheTransactionBack() throws Exception {
        try (FakeBigQueryRest fake = new FakeBigQueryRest(sql -> sql.equals("BEGIN TRANSACTION")
                ? new FakeBigQueryRest.Answer("BEGIN_TRANSACTION", null, Map.of(), List.of(), "session-2")
                : sql.startsWith("INSERT") ? new FakeBigQueryRest.Answer("INSERT", "Transaction is aborted due to "
                        + "concurrent update", Map.of(), List.of(), null) : FakeBigQueryRest.Answer.of("DELETE"))) {
            assertThrows(PulseException.class, () -> warehouse(fake).transaction(transaction -> {
                transaction.execute("DELETE FROM `analytics`.`r` WHERE TRUE");
                transaction.execute("INSERT INTO `analytics`.`r` (`a`) VALUES ('x')");
            }));
            List<String> statements = fake.jobs().stream()
                    .filter(job -> !job.path("configuration").path("dryRun").asBoolean(false))
                    .map(job -> job.path("configuration").path("query").path("query").asText()).toList();
            assertEquals(List.of("BEGIN TRANSACTION", "DELETE FROM `analytics`.`r` WHERE TRUE",
                    "INSERT INTO `analytics`.`r` (`a`) VALUES ('x')", "ROLLBACK TRANSACTION", "CALL BQ.ABORT_SESSION()"),
                    statements);
        }
    }
}
