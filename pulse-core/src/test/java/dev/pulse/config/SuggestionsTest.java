package dev.pulse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hints suggest a close name only. */
class SuggestionsTest {
    private static final List<String> KEYS = List.of("warehouse", "sources", "metrics", "experiments");

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertEquals(1, Suggestions.distance("metircs", "metrics"));
        assertEquals(1, Suggestions.distance("revnue", "revenue"));
        assertEquals(1, Suggestions.distance("sorces", "sources"));
        assertEquals(3, Suggestions.distance("abc", "xyz"));
    }

    @Test
    void closestWithinTwoEdits() {
        assertEquals(Optional.of("metrics"), Suggestions.closest("metircs", KEYS));
        assertEquals(Optional.of("sources"), Suggestions.closest("Sources", KEYS));
        assertEquals(Optional.empty(), Suggestions.closest("dashboards", KEYS));
        // a short candidate needs a closer match: 'xy' is not 'ids'
        assertEquals(Optional.empty(), Suggestions.closest("xy", List.of("ids")));
    }

    @Test
    void hintOrListNamesEveryCandidateWhenNoneIsClose() {
        assertEquals(" (did you mean 'sum'?)", Suggestions.hintOrList("summ", List.of("sum", "count")));
        assertEquals(" (expected one of: sum, count)", Suggestions.hintOrList("median", List.of("sum", "count")));
    }
}
