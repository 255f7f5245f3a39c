package dev.pulse.analysis;

import dev.pulse.model.ExperimentName;
import dev.pulse.model.PulseConfig;
import dev.pulse.model.WarehouseConfig;
import dev.pulse.sql.StateTables;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state's table names fit PostgreSQL's 63 bytes and stay apart, whatever the experiment's name. */
class StateTablesTest {
    private static final PulseConfig CONFIG = new PulseConfig(Path.of("pulse.yaml"), WarehouseConfig.inMemoryDuckDb()
            .withStagingSchema("audit"), Map.of(), Map.of(), Map.of());

    @Test
    void aShortNameIsKept() {
        StateTables state = IncrementalRefresh.state(CONFIG, new ExperimentName("pricing_v2"));
        assertEquals(List.of("audit", "pulse_state_pricing_v2__meta"), state.meta().parts());
    }

    @Test
    void aLongNameIsCutAndHashedSoThatEveryTableFitsAndTwoExperimentsStayApart() {
        String long1 = "checkout_redesign_for_returning_customers_in_europe_q3_a";
        String long2 = "checkout_redesign_for_returning_customers_in_europe_q3_b";
        StateTables first = IncrementalRefresh.state(CONFIG, new ExperimentName(long1));
        StateTables second = IncrementalRefresh.state(CONFIG, new ExperimentName(long2));
        Set<String> names = new HashSet<>();
        for (StateTables state : List.of(first, second)) {
            for (var table : List.of(state.exposures(), state.units(), state.triggers(), state.meta(), state.rows())) {
                String name = table.parts().get(1);
                assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 63, name);
                assertTrue(names.add(name), "two tables named " + name);
            }
        }
        assertNotEquals(first.base(), second.base());
        // room for the longest suffix, "__distinct<id>_pre" with a 3-digit id (17 bytes), under 63
        assertTrue(first.base().parts().get(1).length() <= IncrementalRefresh.MAX_BASE_BYTES, first.base().toString());
        assertTrue(first.base().parts().get(1).startsWith("pulse_state_checkout_"), first.base().toString());
    }
}
