package dev.cutover.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server held at one moment, as evidence to compare against after the cutover: per table a
 * row count and an order-independent content hash computed in the server, the same for materialized
 * views, unlogged tables and each database's large objects, the foreign tables that exist,
 * sequences' last values, extensions, roles, databases and the settings that change behaviour. Plain
 * data: it goes into the transcript as an event and comes back from it on {@code --resume}. Keys are
 * {@link DbKey}s.
 *
 * @param tables       "db:schema.table" → rows and hash ("" when only counted)
 * @param sequences    "db:schema.sequence" → last value (null when never used)
 * @param extensions   "db:name" → version
 * @param matviews     "db:schema.view" → rows and hash, or {@link TableStat#NOT_POPULATED}; null in a snapshot that did not look
 * @param largeObjects database → how many large objects and a hash of their OIDs and contents; null when not looked at
 * @param unlogged     "db:schema.table" → rows and hash of unlogged tables; null when not looked at
 * @param foreign      "db:schema.table" of foreign tables (their data lives elsewhere); null when not looked at
 * @param frozen       whether a freeze was in force when it was taken (writes after it are then none); null in a
 *                     snapshot by an older cutover, which did not record it
 */
public record Snapshot(String server, Instant takenAt, String mode, Map<String, TableStat> tables, Map<String, Long> sequences,
                       Map<String, String> extensions, List<String> roles, List<String> databases, Map<String, String> settings,
                       Map<String, TableStat> matviews, Map<String, TableStat> largeObjects, Map<String, TableStat> unlogged,
                       List<String> foreign, Boolean frozen) {

    public record TableStat(long rows, String hash) {
        /** A materialized view created or left WITH NO DATA: it cannot be read until refreshed. */
        public static final TableStat NOT_POPULATED = new TableStat(-1, "not populated");

        public boolean populated() {
            return !equals(NOT_POPULATED);
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server);
        m.put("takenAt", takenAt.toString());
        m.put("mode", mode);
        m.put("tables", statsToMap(tables));
        Map<String, Object> s = new LinkedHashMap<>();
        sequences.forEach((k, v) -> s.put(k, v == null ? null : String.valueOf(v)));
        m.put("sequences", s);
        m.put("extensions", extensions);
        m.put("roles", roles);
        m.put("databases", databases);
        m.put("settings", settings);
        if (matviews != null) m.put("matviews", statsToMap(matviews));
        if (largeObjects != null) m.put("largeObjects", statsToMap(largeObjects));
        if (unlogged != null) m.put("unlogged", statsToMap(unlogged));
        if (foreign != null) m.put("foreign", foreign);
        if (frozen != null) m.put("frozen", frozen);
        return m;
    }

    private static Map<String, Object> statsToMap(Map<String, TableStat> stats) {
        Map<String, Object> t = new LinkedHashMap<>();
        stats.forEach((k, v) -> t.put(k, List.of(String.valueOf(v.rows()), v.hash())));
        return t;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, TableStat> statsFromMap(Object o) {
        if (o == null) return null;
        Map<String, TableStat> stats = new LinkedHashMap<>();
        ((Map<String, Object>) o).forEach((k, v) -> {
            List<Object> pair = (List<Object>) v;
            stats.put(k, new TableStat(Long.parseLong(String.valueOf(pair.get(0))), String.valueOf(pair.get(1))));
        });
        return stats;
    }

    @SuppressWarnings("unchecked")
    public static Snapshot fromMap(Map<String, Object> m) {
        Map<String, TableStat> tables = statsFromMap(m.get("tables"));
        Map<String, Long> sequences = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("sequences")).forEach((k, v) -> sequences.put(k, v == null ? null : Long.parseLong(String.valueOf(v))));
        Map<String, String> ext = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("extensions")).forEach((k, v) -> ext.put(k, String.valueOf(v)));
        Map<String, String> settings = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("settings")).forEach((k, v) -> settings.put(k, String.valueOf(v)));
        return new Snapshot(String.valueOf(m.get("server")), Instant.parse(String.valueOf(m.get("takenAt"))), String.valueOf(m.get("mode")),
                tables, sequences, ext, new ArrayList<>((List<String>) m.get("roles")), new ArrayList<>((List<String>) m.get("databases")), settings,
                statsFromMap(m.get("matviews")), statsFromMap(m.get("largeObjects")), statsFromMap(m.get("unlogged")),
                m.get("foreign") == null ? null : new ArrayList<>((List<String>) m.get("foreign")),
                m.get("frozen") == null ? null : Boolean.valueOf(String.valueOf(m.get("frozen"))));
    }
}
