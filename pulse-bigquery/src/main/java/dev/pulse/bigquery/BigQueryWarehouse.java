package dev.pulse.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.ConnectionProperty;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.TableResult;
import dev.pulse.error.PulseException;
import dev.pulse.model.BigQuerySettings;
import dev.pulse.model.Engine;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.warehouse.QueryResult;
import dev.pulse.warehouse.Transaction;
import dev.pulse.warehouse.Warehouse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BigQuery through Google's client library, with Application Default Credentials. Each statement is one query job
 * (GoogleSQL, not legacy SQL) carrying the config's labels and {@code maximum_bytes_billed}, in its location and
 * with its default dataset, after {@link OneQuery}'s checks (Pulse's scan and a dry run). Values are bound as
 * positional parameters ({@link Parameters}).
 *
 * <p>Transactions: BigQuery runs no DDL on permanent tables inside a transaction, and replaces a table atomically in
 * one {@code CREATE OR REPLACE TABLE} job. So a {@link #transaction} runs its DDL statements (which come first, as
 * Pulse writes them) as jobs of their own, and opens a multi-statement transaction in a session at its first DML
 * statement ({@code BEGIN TRANSACTION}), committed at the end or rolled back on a failure: the results table's
 * DELETE and INSERT commit together. A DDL statement after DML in one transaction is refused.
 *
 * <p>Cancel: the running job is cancelled ({@code BigQuery.cancel}) and every later statement refused.
 */
final class BigQueryWarehouse implements Warehouse {
    /** Rows per INSERT when a batch becomes one multi-row INSERT (7 values a results row: 7,000 parameters). */
    private static final int INSERT_ROWS = 1000;
    private static final Pattern VALUES = Pattern.compile("(?s)(INSERT INTO .*\\) VALUES )(\\((?:\\?, )*\\?\\))");
    private static final Pattern DDL = Pattern.compile("(?is)\\s*(CREATE|DROP|ALTER)\\b.*");

    private final BigQuery bigQuery;
    private final BigQuerySettings settings;
    private volatile JobId running;
    private volatile boolean cancelled;
    private volatile boolean closed;

    private BigQueryWarehouse(BigQuery bigQuery, BigQuerySettings settings) {
        this.bigQuery = bigQuery;
        this.settings = settings;
    }

    /** A warehouse over a client built elsewhere (tests: a client pointed at a local fake of the REST API). */
    static BigQueryWarehouse over(BigQuery bigQuery, BigQuerySettings settings) {
        return new BigQueryWarehouse(bigQuery, settings);
    }

    static BigQueryWarehouse open(WarehouseConfig config) {
        BigQuerySettings settings = config.bigQuery().orElseThrow(() -> new IllegalArgumentException(
                "a BigQuery warehouse needs BigQuery settings"));
        com.google.auth.oauth2.GoogleCredentials credentials;
        try {
            // found here, so that missing credentials fail with the library's own explanation, not later and vaguely
            credentials = com.google.auth.oauth2.GoogleCredentials.getApplicationDefault();
        } catch (java.io.IOException | RuntimeException e) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "no Google credentials for BigQuery "
                    + "project " + settings.project() + ": " + e.getMessage() + " (Pulse uses Application Default "
                    + "Credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run gcloud auth "
                    + "application-default login; see docs/bigquery.md)", e);
        }
        try {
            BigQueryOptions.Builder options = BigQueryOptions.newBuilder().setProjectId(settings.project())
                    .setCredentials(credentials);
            settings.location().ifPresent(options::setLocation);
            return new BigQueryWarehouse(options.build().getService(), settings);
        } catch (RuntimeException e) {
            throw failed("cannot reach BigQuery for project " + settings.project(), e);
        }
    }

    @Override
    public Engine engine() {
        return Engine.BIGQUERY;
    }

    @Override
    public void execute(String sql) {
        run(sql, List.of(), Optional.empty());
    }

    @Override
    public void execute(String sql, List<?> parameters) {
        run(sql, Parameters.of(parameters), Optional.empty());
    }

    @Override
    public QueryResult query(String sql) {
        return rows(run(sql, List.of(), Optional.empty()));
    }

    @Override
    public QueryResult query(String sql, List<?> parameters) {
        return rows(run(sql, Parameters.of(parameters), Optional.empty()));
    }

    @Override
    public void forEachBatch(String sql, int batchSize, Consumer<List<List<Object>>> consumer) {
        TableResult result = run(sql, List.of(), Optional.empty());
        List<Field> fields = result.getSchema().getFields();
        List<List<Object>> batch = new ArrayList<>();
        for (FieldValueList row : result.iterateAll()) {
            batch.add(values(fields, row));
            if (batch.size() == batchSize) {
                consumer.accept(List.copyOf(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            consumer.accept(List.copyOf(batch));
        }
    }

    @Override
    public void transaction(Consumer<Transaction> work) {
        SessionTransaction transaction = new SessionTransaction();
        try {
            work.accept(transaction);
            transaction.commit();
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        JobId job = running;
        if (job != null) {
            try {
                bigQuery.cancel(job);
            } catch (RuntimeException e) {
                // the job may have ended; the statement's own call reports what happened
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * Runs {@code sql} as one query job after the one-statement checks; {@code session} joins a session's
     * transaction. Waits for the job and returns its rows.
     */
    private TableResult run(String sql, List<QueryParameterValue> parameters, Optional<String> session) {
        return job(sql, parameters, session, false).result();
    }

    private Ran job(String sql, List<QueryParameterValue> parameters, Optional<String> session, boolean createSession) {
        if (cancelled || closed) {
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, cancelled
                    ? "the BigQuery work was cancelled" : "the BigQuery warehouse is closed");
        }
        OneQuery.scanned(sql);
        try {
            Job dryRun = bigQuery.create(JobInfo.newBuilder(configuration(sql, parameters, session, false).setDryRun(true)
                    .build()).setJobId(jobId()).build());
            JobStatistics.QueryStatistics planned = dryRun.getStatistics();
            OneQuery.dryRunSays(sql, Optional.ofNullable(planned.getStatementType()).map(Object::toString));
            JobId id = jobId();
            running = id;
            Job job = bigQuery.create(JobInfo.newBuilder(configuration(sql, parameters, session, createSession).build())
                    .setJobId(id).build());
            job = job.waitFor();
            if (job == null) {
                throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "the BigQuery job " + id.getJob()
                        + " is gone");
            }
            if (job.getStatus().getError() != null) {
                throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "BigQuery job " + id.getJob()
                        + ": " + job.getStatus().getError().getMessage());
            }
            JobStatistics.QueryStatistics statistics = job.getStatistics();
            Optional<String> sessionId = Optional.ofNullable(statistics.getSessionInfo())
                    .map(JobStatistics.SessionInfo::getSessionId);
            return new Ran(job.getQueryResults(), sessionId);
        } catch (BigQueryException e) {
            throw failed(cancelled ? "the BigQuery job was cancelled" : "BigQuery", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new PulseException(PulseException.Category.WAREHOUSE_FAILED, "interrupted while BigQuery ran a job", e);
        } finally {
            running = null;
        }
    }

    private record Ran(TableResult result, Optional<String> session) {}

    /** A new job's ID, in the configured location (where the job and its dry run run). */
    private JobId jobId() {
        return JobId.newBuilder().setRandomJob().setProject(settings.project()).setLocation(settings.location().orElse(null))
                .build();
    }

    private QueryJobConfiguration.Builder configuration(String sql, List<QueryParameterValue> parameters,
                                                       Optional<String> session, boolean createSession) {
        QueryJobConfiguration.Builder job = QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false)
                .setLabels(settings.labels()).setPositionalParameters(parameters);
        settings.maximumBytesBilled().ifPresent(job::setMaximumBytesBilled);
        settings.dataset().ifPresent(dataset -> job.setDefaultDataset(DatasetId.of(settings.project(), dataset)));
        session.ifPresent(id -> job.setConnectionProperties(List.of(ConnectionProperty.of("session_id", id))));
        if (createSession) {
            job.setCreateSession(true);
        }
        return job;
    }

    /**
     * The statements of one {@link #transaction}: DDL as jobs of its own, DML in a multi-statement transaction of a
     * session opened at the first DML statement.
     */
    private final class SessionTransaction implements Transaction {
        private Optional<String> session = Optional.empty();

        @Override
        public void execute(String sql) {
            run(sql, List.of());
        }

        /** An {@code INSERT … VALUES (?, …)} becomes multi-row INSERTs of {@value #INSERT_ROWS} rows; other statements run once per row. */
        @Override
        public void executeBatch(String sql, List<List<Object>> rows) {
            Matcher insert = VALUES.matcher(sql);
            if (!insert.matches()) {
                Parameters.rows(rows).forEach(values -> run(sql, values));
                return;
            }
            List<List<QueryParameterValue>> values = Parameters.rows(rows);
            for (int from = 0; from < values.size(); from += INSERT_ROWS) {
                List<List<QueryParameterValue>> chunk = values.subList(from, Math.min(values.size(), from + INSERT_ROWS));
                String multiRow = insert.group(1) + String.join(", ", java.util.Collections.nCopies(chunk.size(),
                        insert.group(2)));
                run(multiRow, chunk.stream().flatMap(List::stream).toList());
            }
        }

        private void run(String sql, List<QueryParameterValue> parameters) {
            if (DDL.matcher(sql).matches()) {
                if (session.isPresent()) {
                    throw new IllegalStateException("BigQuery runs no DDL inside a transaction, after its DML: " + sql);
                }
                BigQueryWarehouse.this.run(sql, parameters, Optional.empty());
                return;
            }
            if (session.isEmpty()) {
                session = job("BEGIN TRANSACTION", List.of(), Optional.empty(), true).session();
                if (session.isEmpty()) {
                    throw new PulseException(PulseException.Category.WAREHOUSE_FAILED,
                            "BigQuery opened no session for a transaction");
                }
            }
            BigQueryWarehouse.this.run(sql, parameters, session);
        }

        void commit() {
            if (session.isPresent()) {
                BigQueryWarehouse.this.run("COMMIT TRANSACTION", List.of(), session);
                endSession();
            }
        }

        void rollback() {
            if (session.isPresent()) {
                try {
                    BigQueryWarehouse.this.run("ROLLBACK TRANSACTION", List.of(), session);
                } catch (RuntimeException e) {
                    // BigQuery rolls back a transaction whose session ends, and one whose statement failed
                } finally {
                    endSession();
                }
            }
        }

        private void endSession() {
            Optional<String> ending = session;
            session = Optional.empty();
            try {
                BigQueryWarehouse.this.run("CALL BQ.ABORT_SESSION()", List.of(), ending);
            } catch (RuntimeException e) {
                // an idle session ends by itself (after 24 hours); nothing is left open in it
            }
        }
    }

    private static QueryResult rows(TableResult result) {
        List<Field> fields = result.getSchema() == null ? List.of() : result.getSchema().getFields();
        List<String> columns = fields.stream().map(Field::getName).toList();
        List<QueryResult.Row> rows = new ArrayList<>();
        for (FieldValueList row : result.iterateAll()) {
            List<Object> values = values(fields, row);
            Map<String, Object> byName = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                byName.put(columns.get(i), values.get(i));
            }
            rows.add(new QueryResult.Row(byName));
        }
        return new QueryResult(columns, rows);
    }

    /** A row's values as the JDBC warehouses give them: Long, Double, String, Boolean, LocalDateTime (UTC), LocalDate. */
    static List<Object> values(List<Field> fields, FieldValueList row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            values.add(value(fields.get(i).getType().getStandardType(), row.get(i)));
        }
        return values;
    }

    static Object value(StandardSQLTypeName type, FieldValue value) {
        if (value.isNull()) {
            return null;
        }
        return switch (type) {
            case INT64 -> value.getLongValue();
            case FLOAT64 -> value.getDoubleValue();
            case NUMERIC, BIGNUMERIC -> value.getNumericValue();
            case BOOL -> value.getBooleanValue();
            case TIMESTAMP -> LocalDateTime.ofEpochSecond(Math.floorDiv(value.getTimestampValue(), 1_000_000L),
                    (int) TimeUnit.MICROSECONDS.toNanos(Math.floorMod(value.getTimestampValue(), 1_000_000L)), ZoneOffset.UTC);
            case DATE -> java.time.LocalDate.parse(value.getStringValue());
            default -> value.getStringValue();
        };
    }

    /** WAREHOUSE_FAILED with BigQuery's own message. */
    static PulseException failed(String context, RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new PulseException(PulseException.Category.WAREHOUSE_FAILED, context + ": " + message, e);
    }
}
