package dev.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PulseConfigTest {

    @Test
    void optionsConfigHasThePlainMetricsAndEveryOption() {
        String plain = PulseConfig.yaml(1_000_000, 100_000);
        String options = PulseConfig.optionsYaml(1_000_000, 100_000);
        for (String metric : new String[] {"revenue:", "purchases:", "revenue_per_user:", "avg_purchase_value:", "purchasing_orgs:"}) {
            assertTrue(plain.contains(metric), metric);
            assertTrue(options.contains(metric), metric);
        }
        for (String option : new String[] {"cuped: {lookback_days: 14}", "winsorize: {upper: 0.999}", "type: percentile",
                "percentile: 0.9", "correction: holm", "sequential: {}", "method: bayesian"}) {
            assertTrue(options.contains(option), option);
            assertTrue(!plain.contains(option), option);
        }
    }

    @Test
    void timeseriesConfigIsThePlainOneWithDailyResults() {
        String plain = PulseConfig.yaml(1_000_000, 100_000);
        String daily = PulseConfig.timeseriesYaml(1_000_000, 100_000);
        assertTrue(daily.endsWith("    timeseries: true\n"), daily);
        assertTrue(!plain.contains("timeseries"));
        assertTrue(daily.contains(plain.substring(plain.indexOf("warehouse:"))));
    }

    @Test
    void funnelConfigIsThePlainOnePlusAFunnel() {
        String plain = PulseConfig.yaml(1_000_000, 100_000);
        String funnel = PulseConfig.funnelYaml(1_000_000, 100_000);
        assertTrue(funnel.contains("    type: funnel\n"), funnel);
        assertTrue(funnel.contains("- {name: carted, source: events, filter: \"event = 'add_to_cart'\"}"), funnel);
        assertTrue(funnel.contains("avg_purchase_value, purchasing_orgs, checkout_funnel]"), funnel);
        assertTrue(!plain.contains("funnel"));
    }

    @Test
    void newTypesAndTriggerConfigsAreThePlainOnePlusTheirParts() {
        String plain = PulseConfig.yaml(1_000_000, 100_000);
        String types = PulseConfig.newTypesYaml(1_000_000, 100_000);
        for (String type : new String[] {"threshold", "retention", "latest_value", "participation"}) {
            assertTrue(types.contains("{type: " + type + ", "), type + "\n" + types);
        }
        assertTrue(types.contains("purchasing_orgs, orgs_spending_100, week_2_retention, last_purchase, active_days]"), types);
        String trigger = PulseConfig.triggerYaml(1_000_000, 100_000);
        assertTrue(trigger.endsWith("    trigger: {source: events, filter: \"event = 'add_to_cart'\"}\n"), trigger);
        assertTrue(trigger.contains("metrics: [revenue, purchases, revenue_per_user, avg_purchase_value, purchasing_orgs]"));
        assertTrue(!plain.contains("trigger"));
    }

    @Test
    void incrementalConfigsReadTheDailyFoldersIntoADatabaseFile() {
        String plain = PulseConfig.yaml(1_000_000, 100_000);
        String daily = PulseConfig.incrementalYaml(1_000_000, 100_000);
        String partitioned = PulseConfig.incrementalPartitionedYaml(1_000_000, 100_000);
        assertTrue(daily.contains("  database: bench.duckdb"), daily);
        assertTrue(daily.contains("    path: events/*/*.parquet\n") && daily.contains("    path: exposures/*/*.parquet\n"), daily);
        assertTrue(!daily.contains("date_partition"), daily);
        assertTrue(daily.contains(plain.substring(plain.indexOf("metrics:"))), daily); // the same experiment
        assertTrue(partitioned.contains("    path: events/*/*.parquet\n    date_partition: date"), partitioned);
        assertTrue(partitioned.contains("    path: exposures/*/*.parquet\n    date_partition: date\n"), partitioned);
        assertTrue(partitioned.contains(plain.substring(plain.indexOf("metrics:"))), partitioned);
    }
}
