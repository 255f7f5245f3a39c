package dev.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void issue14ConfigsAreThePlainExperimentOnTheConcurrentExposuresPlusTheirOptions() {
        String plain = PulseConfig.yaml(1_000_000, 100_000);
        String experiment = plain.substring(plain.indexOf("metrics:")); // metrics and the bench experiment
        for (PulseConfig.Stats14 config : PulseConfig.Stats14.values()) {
            String yaml = config.yaml(1_000_000, 100_000);
            assertTrue(yaml.contains("    path: exposures-concurrent.parquet\n") && !yaml.contains("exposures.parquet"), yaml);
            assertTrue(yaml.contains(experiment), yaml);
            assertTrue(yaml.endsWith("  pricing:\n    assignment: exposures\n    unit: org_id\n    control: control\n"
                    + "    groups: {control: 0.5, v1: 0.25, v2: 0.25}\n    start: 2026-03-03\n    end: 2026-03-28\n"
                    + "    metrics: [revenue]\n"), yaml);
        }
        String base = PulseConfig.Stats14.CONCURRENT.yaml(1_000_000, 100_000);
        assertEquals(experiment + "  pricing:", base.substring(base.indexOf("metrics:"), base.indexOf("  pricing:") + 10));
        String all = PulseConfig.Stats14.ALL.yaml(1_000_000, 100_000);
        for (String option : new String[] {"    bias_check: {lookback_days: 14}\n", "    dimensions: [country]\n",
                "    post_stratify: country\n", "    interactions: [pricing]\n",
                "    planned_looks: {dates: [2026-03-14, 2026-03-28], spending: obrien_fleming}\n"}) {
            assertTrue(all.contains(option), option);
            assertTrue(!base.contains(option), option);
        }
        // planned_looks and sequential are exclusive: the GrowthBook sequence has its own config
        assertTrue(!all.contains("sequential"), all);
        assertTrue(PulseConfig.Stats14.GROWTHBOOK.yaml(1_000_000, 100_000).contains("    sequential: {method: growthbook}\n"));
        assertEquals("pulse-stats14.yaml", PulseConfig.Stats14.ALL.fileName());
    }
}
