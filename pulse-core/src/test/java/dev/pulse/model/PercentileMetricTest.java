package dev.pulse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The percentile record checks its probability and refuses winsorization. */
class PercentileMetricTest {
    private static final MetricName NAME = new MetricName("p90");
    private static final SourceName SOURCE = new SourceName("page_loads");

    @Test
    void probabilityIsStrictlyBetweenZeroAndOne() {
        for (double bad : new double[] {0, 1, -0.1, 90, Double.NaN}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new Metric.Percentile(NAME, SOURCE, "latency", bad, Optional.empty()), "p = " + bad);
        }
        assertEquals(0.9, new Metric.Percentile(NAME, SOURCE, "latency", 0.9, Optional.empty()).percentile());
    }

    @Test
    void winsorizationIsRefusedAndDirectionKept() {
        Metric.Percentile metric = new Metric.Percentile(NAME, SOURCE, "latency", 0.9, Optional.empty());
        assertThrows(IllegalArgumentException.class, () -> metric.withOptions(
                new MetricOptions(Direction.TWO_SIDED, Optional.of(Winsorization.between(0.01, 0.99)))));
        assertEquals(Direction.DECREASE,
                metric.withOptions(new MetricOptions(Direction.DECREASE, Optional.empty())).options().direction());
    }
}
