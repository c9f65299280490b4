package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.cutover.spi.Check;

/** The pre-flight rules without servers: what refuses, what only warns, and what an acknowledgement changes. */
class LogicalPreflightTest {
    private static Map<String, String> settings(String wal) {
        Map<String, String> m = new HashMap<>(Map.of("wal_level", wal, "max_replication_slots", "10", "max_wal_senders", "10",
                "max_logical_replication_workers", "4", "max_worker_processes", "8", "max_sync_workers_per_subscription", "2"));
        return m;
    }

    private static LogicalFacts facts(String wal, LogicalFacts.Db db, Map<String, Long> targetTables) {
        return new LogicalFacts("old", "neu", 13, 15, settings(wal), settings("replica"), 0, 0, 0, 0, List.of("appdb"), Map.of("appdb", db),
                Set.of("plpgsql", "citext"), targetTables, List.of(), 10L << 30, null, 1L << 20);
    }

    private static LogicalFacts.Db db(List<String> changed, List<String> insertOnly, long lo, Map<String, String> ext) {
        return new LogicalFacts.Db(5, changed, insertOnly, lo, 3, 2, List.of(), List.of(), List.of(), ext);
    }

    private static List<Check> failures(LogicalFacts f, Set<String> ack, boolean full) {
        return LogicalPreflight.checks(f, new LogicalPreflight.Options(ack, full, true)).stream().filter(c -> c.status() == Check.Status.FAIL).toList();
    }

    @Test
    void walLevelReplicaRefusesWithTheExactSettingAndTheRestart() {
        List<Check> fail = failures(facts("replica", db(List.of(), List.of(), 0, Map.of("plpgsql", "1.0")), Map.of()), Set.of(), false);
        assertEquals(1, fail.size(), fail.toString());
        assertTrue(fail.get(0).fix().contains("ALTER SYSTEM SET wal_level = logical") && fail.get(0).fix().contains("restart old"), fail.toString());
    }

    @Test
    void updatedTablesWithoutKeyRefuseUnlessFixedOrAcknowledged() {
        LogicalFacts f = facts("logical", db(List.of("public.t"), List.of("public.log"), 0, Map.of()), Map.of());
        List<Check> fail = failures(f, Set.of(), false);
        assertEquals(1, fail.size(), fail.toString());
        assertTrue(fail.get(0).detail().contains("appdb:public.t") && !fail.get(0).detail().contains("public.log"), fail.toString());
        assertTrue(failures(f, Set.of(LogicalPreflight.NO_KEY), false).isEmpty());
        assertTrue(failures(f, Set.of(), true).isEmpty());
    }

    @Test
    void largeObjectsMissingExtensionsAndANonEmptyTargetRefuse() {
        LogicalFacts f = facts("logical", db(List.of(), List.of(), 7, Map.of("postgis", "3.1")), Map.of("appdb", 2L));
        List<String> names = failures(f, Set.of(), false).stream().map(Check::name).toList();
        assertEquals(List.of("target empty", "large objects", "extensions"), names);
        assertEquals(List.of("target empty", "extensions"), failures(f, Set.of(LogicalPreflight.LARGE_OBJECTS), false).stream().map(Check::name).toList());
    }

    @Test
    void everySequenceIsCountedOwnedOrNot() {
        List<Check> all = LogicalPreflight.checks(facts("logical", db(List.of(), List.of(), 0, Map.of()), Map.of()),
                new LogicalPreflight.Options(Set.of(), false, true));
        assertTrue(all.stream().anyMatch(c -> c.name().equals("sequences") && c.detail().startsWith("3 (2 owned by a column, 1 not)")), all.toString());
    }
}
