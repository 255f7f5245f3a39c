package dev.pulse.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.ReusedSubqueryExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.exchange.ReusedExchangeExec;
import org.apache.spark.sql.util.QueryExecutionListener;

import scala.jdk.javaapi.CollectionConverters;

/**
 * Records the executed plan of every query the shared session runs while it listens, and counts in each the file
 * scans of one location (docs/spark.md#how-cost-scales: each statement reads the assignment source once). The
 * plans are the adaptive plans after execution, with their subqueries.
 */
public final class AssignmentScans implements QueryExecutionListener, AutoCloseable {
    private final SparkSession session;
    private final List<SparkPlan> plans = new ArrayList<>();

    private AssignmentScans(SparkSession session) {
        this.session = session;
    }

    /** Starts recording the queries of the shared session. */
    public static AssignmentScans record() {
        AssignmentScans scans = new AssignmentScans(TestSpark.session());
        scans.session.listenerManager().register(scans);
        return scans;
    }

    @Override
    public synchronized void onSuccess(String funcName, QueryExecution execution, long durationNs) {
        plans.add(execution.executedPlan());
    }

    @Override
    public void onFailure(String funcName, QueryExecution execution, Exception exception) {}

    /** For each recorded query that reads a file or folder named {@code name}, how many times its plan scans it. */
    public List<Integer> scansOf(String name) {
        try {
            // the listeners hear of a query on Spark's listener bus, after the action has returned
            session.sparkContext().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
        List<Integer> counts = new ArrayList<>();
        synchronized (this) {
            for (SparkPlan plan : plans) {
                int count = count(plan, name);
                if (count > 0) {
                    counts.add(count);
                }
            }
        }
        return counts;
    }

    /** The recorded plans that scan {@code name} more than once, for a failure message. */
    public synchronized List<String> plansScanningTwice(String name) {
        return plans.stream().filter(plan -> count(plan, name) > 1).map(SparkPlan::toString).toList();
    }

    /**
     * The scans of {@code name} (the last part of a scanned location) that ran for {@code plan}: the distinct scan
     * nodes of its final plan and its subqueries, also those below a reused exchange or subquery (Spark's adaptive
     * execution may show the stage that ran only as a {@code ReusedExchange} of another part of the plan), each
     * counted once however many parts reuse it.
     */
    public static int count(SparkPlan plan, String name) {
        return scans(plan, name).size();
    }

    /** The distinct file scans in {@code plan} (and its stages, reused exchanges and subqueries) of the path {@code name}. */
    public static java.util.List<FileSourceScanExec> scans(SparkPlan plan, String name) {
        Set<FileSourceScanExec> scans = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(plan, name, scans);
        return new java.util.ArrayList<>(scans);
    }

    private static void collect(SparkPlan plan, String name, Set<FileSourceScanExec> scans) {
        if (plan instanceof AdaptiveSparkPlanExec adaptive) {
            collect(adaptive.executedPlan(), name, scans);
            return;
        }
        if (plan instanceof QueryStageExec stage) {
            collect(stage.plan(), name, scans);
            return;
        }
        // leaves in the plan tree, holding the part they reuse
        if (plan instanceof ReusedExchangeExec reused) {
            collect(reused.child(), name, scans);
            return;
        }
        if (plan instanceof ReusedSubqueryExec reused) {
            collect(reused.child(), name, scans);
            return;
        }
        if (plan instanceof FileSourceScanExec scan) {
            for (var path : CollectionConverters.asJava(scan.relation().location().rootPaths())) {
                if (path.getName().equals(name)) {
                    scans.add(scan);
                }
            }
        }
        for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
            collect(child, name, scans);
        }
        for (SparkPlan subquery : CollectionConverters.asJava(plan.subqueries())) {
            collect(subquery, name, scans);
        }
    }

    @Override
    public void close() {
        session.listenerManager().unregister(this);
    }
}
