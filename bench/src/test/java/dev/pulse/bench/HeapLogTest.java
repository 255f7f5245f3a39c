package dev.pulse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeapLogTest {

    @Test
    void peakIsTheLargestOccupancyBeforeAPauseWhenThatExceedsTheExitOccupancy() {
        List<String> log = List.of(
                "[0.021s][info][gc,init] Heap Region Size: 4M",
                "[0.300s][info][gc,heap] GC(0) Eden regions: 6->0(10)",
                "[0.300s][info][gc,metaspace] GC(0) Metaspace: 400K(576K)->400K(576K) NonClass: 1K(2K)->1K(2K)",
                "[0.300s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(380M) 3.456ms",
                "[0.900s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 40M->5M(380M) 2.100ms",
                "[1.000s][info][gc,heap,exit]  garbage-first heap   total 397312K, used 10240K [0x0, 0x1)",
                "[1.000s][info][gc,heap,exit]  Metaspace       used 3346K, committed 3584K, reserved 1114112K");
        assertEquals(40L << 20, HeapLog.peakUsedBytes(log).getAsLong());
    }

    @Test
    void withoutAPauseThePeakIsTheExitOccupancySummedOverGenerations() {
        List<String> serial = List.of(
                "[0.1s][info][gc,heap,exit]  def new generation   total 4928K, used 3000K [0x0, 0x1, 0x2)",
                "[0.1s][info][gc,heap,exit]  tenured generation   total 10944K, used 1000K [0x0, 0x1, 0x2)",
                "[0.1s][info][gc,heap,exit]  Metaspace       used 52K, committed 128K, reserved 1114112K",
                "[0.1s][info][gc,heap,exit]   class space    used 1K, committed 64K, reserved 1048576K");
        assertEquals(4000L * 1024, HeapLog.peakUsedBytes(serial).getAsLong());
    }

    @Test
    void aLogWithNeitherIsUnknown() {
        assertTrue(HeapLog.peakUsedBytes(List.of("[0.0s][info][gc,init] Version: 17")).isEmpty());
    }
}
