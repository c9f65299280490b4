package dev.cutover.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An event's line for people stays short whatever the event holds. */
class EventLineTest {

    @Test
    void smallEventsReadInFull() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", "freeze-1");
        d.put("kind", "pgbouncer");
        d.put("databases", List.of("appdb"));
        assertEquals("freeze: id=freeze-1, kind=pgbouncer, databases=[1 item]", EventLine.of("freeze", d));
    }

    @Test
    void aSnapshotOfManyTablesIsOneShortLine() {
        Map<String, Object> tables = new HashMap<>();
        for (int i = 0; i < 100_000; i++) tables.put("appdb:public.t" + i, Map.of("rows", i, "hash", "x".repeat(32)));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("server", "old");
        d.put("tables", tables);
        d.put("note", "y".repeat(500));
        String line = EventLine.of("snapshot", d);
        assertTrue(line.startsWith("snapshot: server=old, tables={100000 entries}, note=yyy"), line);
        assertTrue(line.length() <= EventLine.MAX, line.length() + "");
    }
}
